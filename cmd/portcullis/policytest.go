package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies"
)

func newTestCommand(stdout io.Writer, state *exitState) *cobra.Command {
	var (
		format  string
		verbose bool
		run     string
	)
	c := &cobra.Command{
		Use:   "test [flags] DIR...",
		Short: "Run the Rego tests of policy directories",
		Long: `Run the Rego tests (test_ rules of *_test.rego files) of each policy
directory DIR, against the built-in library (data.portcullis.lib.*) and
rules, compiled as a scan compiles them: no checkout of portcullis and no
opa binary needed. The policies of DIR are checked as scan --policy-dir
checks them (METADATA, one rule per package).

Two test helpers load real text with the real loaders and return the input
document a scan would give the policies:
  portcullis.terraform({"main.tf": "..."})   the root module "." of these files
  portcullis.cloudformation("...")           a template (named template.yaml)
A file that does not parse fails the test with the loader's file:line:col.

Failures are listed with the file and line of the test; -v lists every test.

Exit codes:
  0  every test passed
  1  a test failed (false, undefined, or stopped by an error)
  2  a policy or test file does not load or compile, or no test was found`,
		Example: `  portcullis test examples/policies
  portcullis test -v --run 'tag' policies/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("--format: unknown format %q (want text or json)", format)
			}
			srcs, err := policySources(args)
			if err != nil {
				return err
			}
			defer lessGC()()
			results, err := policies.RunTests(cmd.Context(), policies.TestOptions{Sources: srcs, Run: run, Load: loadForTests})
			var le *policies.TestLoadError
			if errors.As(err, &le) {
				return fmt.Errorf("the policies do not load:\n%s", le.Error())
			}
			if err != nil {
				return err
			}
			if len(results) == 0 {
				if run != "" {
					return fmt.Errorf("no test in %s matches --run %s", strings.Join(args, ", "), run)
				}
				return fmt.Errorf("no test found in %s (tests are test_ rules, in *_test.rego files by convention)", strings.Join(args, ", "))
			}
			sum := summarise(results)
			if format == "json" {
				err = writeTestJSON(stdout, results, sum)
			} else {
				err = writeTestText(stdout, results, sum, verbose)
			}
			if err != nil {
				return err
			}
			if sum.Failed > 0 {
				state.code = exitFindings
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&format, "format", "text", "output format: text or json")
	f.BoolVarP(&verbose, "verbose", "v", false, "list every test, not only those that fail, with what they print")
	f.StringVar(&run, "run", "", "run only the tests whose name (data.<package>.<rule>) matches `REGEX`")
	return c
}

// policySources checks that each argument is a directory and names it as
// scan --policy-dir does.
func policySources(dirs []string) ([]policies.Source, error) {
	var srcs []policies.Source
	for _, d := range dirs {
		info, err := os.Stat(d)
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", d, errors.Unwrap(err))
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("%s: not a directory", d)
		}
		srcs = append(srcs, policies.Source{Name: filepath.ToSlash(filepath.Clean(d)), FS: os.DirFS(d)})
	}
	return srcs, nil
}

// loadForTests is the loader of the test helpers: a scan's, over the
// in-memory files of one helper call, with no variable set (TF_VAR_
// variables of the environment are not read: a test gives the same result
// everywhere).
func loadForTests(ctx context.Context, fsys fs.FS, paths []string) ([]*graph.Graph, []graph.Diagnostic, error) {
	return parser.Load(ctx, fsys, paths, parser.Options{})
}

// testSummary counts the results; errors are failures.
type testSummary struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

func summarise(results []policies.TestResult) testSummary {
	var s testSummary
	for _, r := range results {
		switch r.Status {
		case policies.TestPass:
			s.Passed++
		case policies.TestSkip:
			s.Skipped++
		default:
			s.Failed++
		}
	}
	return s
}

// writeTestText writes the failing tests (every test with verbose), each
// as file:line: name: STATUS with its error and output indented below, and
// the summary.
func writeTestText(w io.Writer, results []policies.TestResult, sum testSummary, verbose bool) error {
	var b strings.Builder
	for _, r := range results {
		if r.Status == policies.TestPass && !verbose {
			continue
		}
		fmt.Fprintf(&b, "%s:%d: %s: %s\n", r.File, r.Line, r.Name, strings.ToUpper(r.Status))
		if r.Error != "" {
			indent(&b, r.Error)
		}
		if r.FailedAt != "" {
			indent(&b, "failed at "+r.FailedAt)
		}
		if r.Output != "" && (verbose || r.Status != policies.TestPass) {
			indent(&b, r.Output)
		}
	}
	if b.Len() > 0 {
		b.WriteString(strings.Repeat("-", 72) + "\n")
	}
	fmt.Fprintf(&b, "%d passed, %d failed", sum.Passed, sum.Failed)
	if sum.Skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", sum.Skipped)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func indent(b *strings.Builder, text string) {
	for line := range strings.SplitSeq(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString("    " + line + "\n")
	}
}

func writeTestJSON(w io.Writer, results []policies.TestResult, sum testSummary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Tests []policies.TestResult `json:"tests"`
		testSummary
	}{results, sum})
}

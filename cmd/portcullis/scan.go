package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/plan"
	"github.com/portcullis-iac/portcullis/parser/terraform"
	"github.com/portcullis-iac/portcullis/policies"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report"
	"github.com/portcullis-iac/portcullis/sarif"
)

// output is one --format: a writer and where it goes ("" for --output or stdout).
type output struct {
	format string
	path   string
}

func parseFormats(specs []string, defaultPath string) ([]output, error) {
	if len(specs) == 0 {
		specs = []string{"text"}
	}
	var outs []output
	toDefault := 0
	for _, s := range specs {
		f, p, hasPath := strings.Cut(s, "=")
		switch f {
		case "text", "json", "sarif":
		default:
			return nil, fmt.Errorf("--format %s: unknown format %q (want text, json or sarif, optionally FORMAT=FILE)", s, f)
		}
		if hasPath && p == "" {
			return nil, fmt.Errorf("--format %s: empty file name", s)
		}
		if !hasPath {
			p = defaultPath
			toDefault++
		}
		outs = append(outs, output{format: f, path: p})
	}
	if toDefault > 1 {
		return nil, errors.New("several --format without a file would write to the same place; give all but one a file: --format sarif=results.sarif")
	}
	return outs, nil
}

func newScanCommand(stdout, stderr io.Writer, state *exitState) *cobra.Command {
	var (
		formats   []string
		outPath   string
		threshold string
		rootDir   string
		sel       ruleSelection
		groupBy   string
		noColor   bool
		sourceDir string
		cfnFiles  []string
		cfnParams []string
		vars      varFlags

		allowIncomplete bool
		timeout         time.Duration
		maxMemory       string
	)
	c := &cobra.Command{
		Use:   "scan [flags] [PATH...]",
		Short: "Scan Terraform for policy violations",
		Long: `Scan the Terraform modules found under each PATH (default: the current
directory). Every directory holding *.tf, *.tf.json or *.tofu files is a module;
those that no other scanned directory calls as a local module are evaluated as
root modules, with every module they call. .terraform, .git and hidden
directories are skipped.

Terraform plan JSON (terraform show -json PLANFILE > plan.json) is scanned
too: a file named as a PATH is detected by its content; while walking a
directory, files named plan.json, tfplan.json or *.tfplan.json are read.
Findings point at the .tf source when it is beside the plan or given with
--source-dir, else into the plan file.

The scan root is the repository holding each PATH (or PATH itself outside a
repository, or --root): nothing outside it is read, symbolic links that lead
out of it are not followed, and version-control directories are never read.

Exit codes:
  0  no finding at or above --severity-threshold
  1  findings at or above --severity-threshold
  2  the scan could not be done (bad flag, missing path, broken policy), or it
     is incomplete: an error diagnostic (a file that cannot be read or parsed,
     a limit reached, a policy runtime error) could hide findings. With
     --allow-incomplete, error diagnostics are reported but findings alone
     decide. Warnings (a value left unknown) never change the exit code.`,
		Example: `  portcullis scan examples/terraform/insecure
  portcullis scan --format sarif=results.sarif --format text .
  portcullis scan --var-file prod.tfvars --var region=eu-west-1 infra/
  portcullis scan --policy-dir policies/ --severity-threshold high .`,
		RunE: func(cmd *cobra.Command, args []string) error {
			thr, err := finding.ParseSeverity(threshold)
			if err != nil {
				return fmt.Errorf("--severity-threshold: %w", err)
			}
			switch groupBy {
			case "", "none", "control":
			default:
				return fmt.Errorf("--group-by: unknown grouping %q (want control or none)", groupBy)
			}
			outs, err := parseFormats(formats, outPath)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			roots, err := newScanRoots(rootDir, args)
			if err != nil {
				return err
			}
			tfVars, err := vars.inputs()
			if err != nil {
				return err
			}
			eng, err := newEngine(cmd.Context(), sel)
			if err != nil {
				return err
			}
			tfOpts := terraform.Options{Vars: tfVars, Env: tfEnv(), DataDir: os.Getenv("TF_DATA_DIR")}
			planOpts := plan.Options{}
			if sourceDir != "" {
				if planOpts.SourceDir, err = roots.relative(sourceDir); err != nil {
					return fmt.Errorf("--source-dir: %w", err)
				}
			}
			cfnOpts, err := cfnOptions(roots, cfnFiles, cfnParams)
			if err != nil {
				return err
			}
			limit, err := parseSize(maxMemory)
			if err != nil {
				return fmt.Errorf("--max-memory: %w", err)
			}
			defer memoryGuard(limit, stderr)()
			ctx := cmd.Context()
			if timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, timeout)
				defer cancel()
			}
			rep, err := scan(ctx, eng, roots, parser.Options{Terraform: tfOpts, Plan: planOpts, CloudFormation: cfnOpts})
			if err != nil {
				return err
			}
			for _, o := range outs {
				if err := writeOutput(o, rep, stdout, noColor, groupBy == "control", roots); err != nil {
					return err
				}
			}
			incomplete := countErrors(rep.Diagnostics)
			switch {
			case incomplete > 0 && !allowIncomplete:
				state.code = exitError
				fmt.Fprintf(stderr, "portcullis: the scan is incomplete: %d error diagnostic(s) could hide findings (see above); --allow-incomplete accepts an incomplete scan\n", incomplete)
			case anyAtLeast(rep.Findings, thr):
				state.code = exitFindings
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringArrayVarP(&formats, "format", "f", nil, "output `FORMAT`: text, json or sarif; FORMAT=FILE writes to FILE (repeatable)")
	f.StringVarP(&outPath, "output", "o", "", "write the format given without a file to `FILE` instead of standard output")
	f.StringVar(&threshold, "severity-threshold", "low", "exit 1 when a finding is at or above `SEVERITY` (critical, high, medium, low)")
	f.StringVar(&rootDir, "root", "", "the scan root `DIR`: nothing outside it is read, and output paths are relative to it (default: the repository holding each PATH, else PATH itself)")
	sel.flags(c, "also run the opt-in rule `ID`", "do not run the rule `ID`")
	f.StringVar(&groupBy, "group-by", "none", "text output: list the findings under each control their rules evidence (`control`), or in file order (none)")
	f.StringVar(&sourceDir, "source-dir", "", "the Terraform configuration `DIR` a plan JSON file was made from, for exact locations (default: the plan file's directory when it holds .tf files)")
	f.StringArrayVar(&cfnFiles, "cfn-parameters", nil, "CloudFormation parameter values from a JSON `FILE`: the [{\"ParameterKey\", \"ParameterValue\"}] form of aws cloudformation, or {\"Key\": \"Value\"} (repeatable; later files win)")
	f.StringArrayVar(&cfnParams, "cfn-parameter", nil, "set a CloudFormation parameter: `KEY=VALUE` (repeatable; wins over --cfn-parameters)")
	f.BoolVar(&allowIncomplete, "allow-incomplete", false, "do not fail (exit 2) when a diagnostic says the scan is incomplete (a file that cannot be read or parsed, a limit reached, a policy error); findings decide the exit code")
	f.StringVar(&maxMemory, "max-memory", fmt.Sprintf("%dGiB", defaultMaxMemory>>30), "stop and fail the scan when it holds more than `SIZE` of memory (0: no limit)")
	f.DurationVar(&timeout, "timeout", 10*time.Minute, "stop and fail the scan after `DURATION` (0: no limit)")
	f.BoolVar(&noColor, "no-color", false, "never colour text output (colour is used only on a terminal; NO_COLOR is respected)")
	f.Var(&varFlag{vars: &vars, file: false}, "var", "set a root module variable: `NAME=VALUE` (repeatable; applied in command-line order with --var-file)")
	f.Var(&varFlag{vars: &vars, file: true}, "var-file", "load root module variables from a .tfvars or .tfvars.json `FILE` (repeatable)")
	return c
}

func anyAtLeast(fs []finding.Finding, thr finding.Severity) bool {
	for _, f := range fs {
		if f.Suppressed == nil && f.Severity.AtLeast(thr) {
			return true
		}
	}
	return false
}

// scan loads every root under the paths and evaluates the policies over
// each. A root whose evaluation failed has an error diagnostic.
func scan(ctx context.Context, eng *policies.Engine, roots *scanRoots, opts parser.Options) (*finding.Report, error) {
	fsys, err := roots.fs()
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	graphs, walkDiags, err := parser.Load(ctx, fsys, roots.paths, opts)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("the scan did not finish within --timeout: %w", err)
		}
		return nil, err
	}
	// Compile at once the rules that run on the types loaded, so that the
	// evaluations below share one compilation.
	types := map[string]bool{}
	for _, g := range graphs {
		for _, r := range g.Resources {
			types[r.Type] = true
		}
	}
	list := make([]string, 0, len(types))
	for t := range types {
		list = append(list, t)
	}
	restore := lessGC()
	err = eng.Prepare(ctx, list)
	restore()
	if err != nil {
		return nil, err
	}
	rep := &finding.Report{Tool: tool(), Rules: eng.Enabled(), Sources: map[string][]byte{}}
	rep.Diagnostics = append(rep.Diagnostics, walkDiags...)
	type evalResult struct {
		findings []finding.Finding
		diags    []graph.Diagnostic
		err      error
	}
	results := make([]evalResult, len(graphs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, g := range graphs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			f, d, err := eng.Evaluate(ctx, g)
			results[i] = evalResult{f, d, err}
		}()
	}
	wg.Wait()
	for i, g := range graphs {
		rep.Resources += len(g.Resources)
		rep.Diagnostics = append(rep.Diagnostics, g.Diagnostics...)
		for f, src := range g.Sources {
			// A plan file is not quoted: terraform show -json writes one
			// line, with the values after_sensitive marks in clear text, so
			// an excerpt of any finding could show a sensitive neighbour.
			if g.Format == graph.FormatTerraformPlan && f == g.Root {
				continue
			}
			rep.Sources[f] = src
		}
		res := results[i]
		rep.Findings = append(rep.Findings, res.findings...)
		rep.Diagnostics = append(rep.Diagnostics, res.diags...)
		if res.err != nil {
			rep.Diagnostics = append(rep.Diagnostics, graph.Diagnostic{
				Severity: graph.SeverityError, Summary: "policy evaluation failed", Detail: res.err.Error(),
				Range: graph.Range{File: g.Root},
			})
		}
	}
	rep.Dedupe()
	// A file of random bytes gives a diagnostic per byte: keep a bounded
	// number per file, and one error that counts the rest.
	rep.Diagnostics = graph.CapDiagnostics(rep.Diagnostics, graph.DefaultDiagnosticsPerFile)
	return rep, nil
}

// countErrors counts the diagnostics that fail the gate.
func countErrors(ds []graph.Diagnostic) int {
	n := 0
	for _, d := range ds {
		if d.Severity == graph.SeverityError {
			n++
		}
	}
	return n
}

func writeOutput(o output, rep *finding.Report, stdout io.Writer, noColor, byControl bool, roots *scanRoots) error {
	w := stdout
	color := false
	var out io.WriteCloser
	if o.path != "" {
		f, err := createOutput(o.path, roots)
		if err != nil {
			return err
		}
		out, w = f, f
	} else if f, ok := stdout.(*os.File); ok && !noColor {
		color = report.ColorEnabled(f)
	}
	var err error
	switch o.format {
	case "sarif":
		err = sarif.Write(w, rep)
	case "json":
		err = report.WriteJSON(w, rep)
	default:
		err = report.WriteText(w, rep, report.TextOptions{Color: color, ByControl: byControl})
	}
	if out == nil {
		return err
	}
	if err != nil {
		if r, ok := out.(*renameOnClose); ok {
			r.Abort()
			return err
		}
		_ = out.Close()
		return err
	}
	return out.Close()
}


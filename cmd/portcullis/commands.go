package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/portcullis-iac/portcullis/parser/cloudformation"
	"github.com/portcullis-iac/portcullis/parser/terraform"
	"github.com/portcullis-iac/portcullis/policies"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

type exitState struct{ code int }

func tool() finding.Tool {
	return finding.Tool{
		Name:           "portcullis",
		Version:        resolvedVersion(),
		InformationURI: "https://github.com/portcullis-iac/portcullis",
		RulesURI:       "https://github.com/portcullis-iac/portcullis/blob/main/",
	}
}

func newRootCommand(stdout, stderr io.Writer) (*cobra.Command, *exitState) {
	state := &exitState{}
	root := &cobra.Command{
		Use:   "portcullis",
		Short: "Static policy linter for infrastructure as code",
		Long: `Portcullis reads Terraform (HCL and plan JSON) and CloudFormation, evaluates
them statically into a resource graph, checks it against Rego policies (a
built-in SOC 2 baseline and your own), and reports findings as text, JSON,
SARIF for GitHub code scanning, workflow annotations, Markdown, JUnit, a SOC 2
CSV or an HTML report for auditors.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newScanCommand(stdout, stderr, state), newRulesCommand(stdout), newExplainCommand(stdout), newVersionCommand(stdout), newTestCommand(stdout, state), newInspectCommand(stdout, stderr, state))
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w\nRun '%s --help' for usage", err, c.CommandPath())
	})
	return root, state
}

func newRulesCommand(stdout io.Writer) *cobra.Command {
	var format string
	var sel ruleSelection
	c := &cobra.Command{
		Use:   "rules",
		Short: "List every rule with its metadata",
		Long: `List the built-in rules, and those of --policy-dir directories, with their
metadata. ENABLED says whether a scan runs the rule: "yes", "opt-in" (a rule
that runs only when named with --enable-rule) or "no" (--disable-rule). Give
the same --enable-rule and --disable-rule as to scan to see what it runs.
SOC2 lists the trust services criteria a rule evidences; --format json and
explain give every control (CIS, AWS Foundational Security Best Practices).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("unknown format %q (want text or json)", format)
			}
			eng, err := newEngine(cmd.Context(), sel)
			if err != nil {
				return err
			}
			rules := eng.Rules()
			if format == "json" {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				if rules == nil {
					rules = []finding.Rule{}
				}
				return enc.Encode(rules)
			}
			enabled := map[string]bool{}
			for _, r := range eng.Enabled() {
				enabled[r.ID] = true
			}
			tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tENABLED\tSOC2\tNAME\tTITLE")
			for _, r := range rules {
				state := "yes"
				switch {
				case enabled[r.ID]:
				case r.OptIn:
					state = "opt-in"
				default:
					state = "no"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, state, soc2(r.Controls), r.Name, r.Title)
			}
			return tw.Flush()
		},
	}
	c.Flags().StringVar(&format, "format", "text", "output format: text or json")
	sel.flags(c, "show the opt-in rule `ID` as enabled, as scan --enable-rule runs it", "show the rule `ID` as disabled, as scan --disable-rule")
	return c
}

// soc2 lists the SOC 2 criteria among controls, without the prefix
// ("CC6.1,CC6.6"), or "-".
func soc2(controls []string) string {
	var out []string
	for _, c := range controls {
		if rest, ok := strings.CutPrefix(c, "SOC2:"); ok {
			out = append(out, rest)
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ",")
}

func newExplainCommand(stdout io.Writer) *cobra.Command {
	var format string
	var dirs []string
	c := &cobra.Command{
		Use:   "explain RULE-ID",
		Short: "Print a rule's documentation",
		Long: `Print the documentation of one rule, built-in or from a --policy-dir
directory: its title, id, severity, controls, resource types, why it matters
and how to fix what it reports. RULE-ID is the rule's id (PCS-AWS-001) or
name (ingress-open-to-internet). --format markdown prints the rule's page of
the catalogue (docs/rules/).`,
		Example: `  portcullis explain PCS-AWS-001
  portcullis explain --policy-dir policies/ ACME-NET-001`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "markdown" {
				return fmt.Errorf("unknown format %q (want text or markdown)", format)
			}
			eng, err := newEngine(cmd.Context(), ruleSelection{dirs: dirs})
			if err != nil {
				return err
			}
			r, err := eng.Lookup(args[0])
			if err != nil {
				return err
			}
			out := ruleDoc(r)
			if format == "text" {
				out = explainText(r, tool().RulesURI)
			}
			_, err = io.WriteString(stdout, out)
			return err
		},
	}
	c.Flags().StringVar(&format, "format", "text", "output format: text or markdown")
	c.Flags().StringArrayVar(&dirs, "policy-dir", nil, "also load the Rego policies of `DIR` (repeatable)")
	return c
}

// ruleSelection is the policy directories and rule choices of a command.
type ruleSelection struct {
	dirs            []string
	enable, disable []string
}

// flags adds --policy-dir, --enable-rule and --disable-rule, the last two
// described by enable and disable.
func (s *ruleSelection) flags(c *cobra.Command, enable, disable string) {
	f := c.Flags()
	f.StringArrayVar(&s.dirs, "policy-dir", nil, "also load the Rego policies of `DIR` (repeatable)")
	f.StringArrayVar(&s.enable, "enable-rule", nil, enable+" (its id or name; repeatable)")
	f.StringArrayVar(&s.disable, "disable-rule", nil, disable+" (its id or name; repeatable)")
}

func newEngine(ctx context.Context, sel ruleSelection) (*policies.Engine, error) {
	defer lessGC()()
	srcs, err := openPolicyDirs(sel.dirs)
	if err != nil {
		return nil, err
	}
	return policies.New(ctx, policies.Options{Sources: srcs, Enable: sel.enable, Disable: sel.disable})
}

// openPolicyDirs opens the policy directories named on the command line.
func openPolicyDirs(dirs []string) ([]policies.Source, error) {
	var srcs []policies.Source
	for _, d := range dirs {
		info, err := os.Stat(d)
		if err != nil {
			return nil, fmt.Errorf("--policy-dir: %w", err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("--policy-dir %s: not a directory", d)
		}
		srcs = append(srcs, policies.Source{Name: filepath.ToSlash(d), FS: os.DirFS(d)})
	}
	return srcs, nil
}

// compileGCPercent is the garbage collector's target while policies are
// read and compiled when no memory limit is set.
const compileGCPercent = 400

// lessGC holds the garbage collector back until the function it returns is
// called: policy compilation allocates a bounded amount (a few tens of MB
// for the whole built-in set), nearly all of it garbage, and collecting it
// at the default pace took a quarter of a small scan's time. With a memory
// limit (--max-memory sets one, 2 GiB by default) the collector is off
// meanwhile: the runtime still collects when the heap nears the limit, so
// the limit holds. Without one it runs a quarter as often. A GOGC already
// higher (or off) is left alone.
func lessGC() func() {
	target := compileGCPercent
	if debug.SetMemoryLimit(-1) < math.MaxInt64 {
		target = -1 // off; the memory limit still triggers collections
	}
	prev := debug.SetGCPercent(target)
	if prev < 0 || (target > 0 && prev >= target) {
		debug.SetGCPercent(prev)
		return func() {}
	}
	return func() { debug.SetGCPercent(prev) }
}

// varFlags keeps --var and --var-file in command-line order.
type varFlags struct {
	items []varItem
}

type varItem struct {
	file  bool
	value string
}

type varFlag struct {
	vars *varFlags
	file bool
}

func (v *varFlag) String() string { return "" }
func (v *varFlag) Type() string {
	if v.file {
		return "FILE"
	}
	return "NAME=VALUE"
}

func (v *varFlag) Set(s string) error {
	if !v.file {
		name, _, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return fmt.Errorf("want NAME=VALUE, got %q", s)
		}
	}
	v.vars.items = append(v.vars.items, varItem{file: v.file, value: s})
	return nil
}

func (v *varFlags) inputs() ([]terraform.VarInput, error) {
	var out []terraform.VarInput
	for _, it := range v.items {
		if it.file {
			b, err := readArgFile(it.value)
			if err != nil {
				return nil, fmt.Errorf("--var-file: %w", err)
			}
			out = append(out, terraform.VarInput{File: filepath.ToSlash(it.value), Content: b})
			continue
		}
		name, val, _ := strings.Cut(it.value, "=")
		out = append(out, terraform.VarInput{Name: name, Value: val})
	}
	return out, nil
}

// tfEnv returns the TF_VAR_ environment variables, which set root module
// variables as they do for Terraform.
func tfEnv() map[string]string {
	env := map[string]string{}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "TF_VAR_") {
			env[k] = v
		}
	}
	return env
}

// cfnOptions reads the CloudFormation parameter files and values.
func cfnOptions(roots *scanRoots, files, params []string) (cloudformation.Options, error) {
	var opts cloudformation.Options
	for _, f := range files {
		b, err := readArgFile(f)
		if err != nil {
			return opts, fmt.Errorf("--cfn-parameters: %w", err)
		}
		name := filepath.ToSlash(f)
		if rel, err := roots.relative(f); err == nil {
			name = rel
		}
		opts.ParameterFiles = append(opts.ParameterFiles, cloudformation.ParamFile{Name: name, Content: b})
	}
	for _, kv := range params {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return opts, fmt.Errorf("--cfn-parameter: want KEY=VALUE, got %q", kv)
		}
		if opts.Parameters == nil {
			opts.Parameters = map[string]string{}
		}
		opts.Parameters[k] = v
	}
	return opts, nil
}

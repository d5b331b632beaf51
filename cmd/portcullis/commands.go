package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/parser/cloudformation"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/plan"
	"github.com/portcullis-iac/portcullis/parser/terraform"
	"github.com/portcullis-iac/portcullis/policies"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report"
	"github.com/portcullis-iac/portcullis/sarif"
)

type exitState struct{ code int }

func tool() finding.Tool {
	return finding.Tool{
		Name:           "portcullis",
		Version:        version,
		InformationURI: "https://github.com/portcullis-iac/portcullis",
		RulesURI:       "https://github.com/portcullis-iac/portcullis/blob/main/",
	}
}

func newRootCommand(stdout, stderr io.Writer) (*cobra.Command, *exitState) {
	state := &exitState{}
	root := &cobra.Command{
		Use:   "portcullis",
		Short: "Static policy linter for infrastructure as code",
		Long: `Portcullis reads Terraform, evaluates it statically into a resource graph,
checks it against Rego policies (a built-in SOC 2 network baseline and your
own), and reports findings as text, JSON or SARIF for GitHub code scanning.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newScanCommand(stdout, stderr, state), newRulesCommand(stdout), newExplainCommand(stdout), newVersionCommand(stdout))
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w\nRun '%s --help' for usage", err, c.CommandPath())
	})
	return root, state
}

func newVersionCommand(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(stdout, "portcullis %s\n", version)
			return err
		},
	}
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
	var srcs []policies.Source
	for _, d := range sel.dirs {
		info, err := os.Stat(d)
		if err != nil {
			return nil, fmt.Errorf("--policy-dir: %w", err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("--policy-dir %s: not a directory", d)
		}
		srcs = append(srcs, policies.Source{Name: filepath.ToSlash(d), FS: os.DirFS(d)})
	}
	return policies.New(ctx, policies.Options{Sources: srcs, Enable: sel.enable, Disable: sel.disable})
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

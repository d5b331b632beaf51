package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"

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
	root.AddCommand(newScanCommand(stdout, stderr, state), newRulesCommand(stdout), newVersionCommand(stdout))
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
	var dirs []string
	c := &cobra.Command{
		Use:   "rules",
		Short: "List every rule with its metadata",
		Long:  "List the built-in rules, and those of --policy-dir directories, with their metadata.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			eng, err := newEngine(cmd.Context(), dirs)
			if err != nil {
				return err
			}
			rules := eng.Rules()
			switch format {
			case "json":
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				if rules == nil {
					rules = []finding.Rule{}
				}
				return enc.Encode(rules)
			case "text":
				tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSEVERITY\tNAME\tTITLE")
				for _, r := range rules {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Name, r.Title)
				}
				return tw.Flush()
			}
			return fmt.Errorf("unknown format %q (want text or json)", format)
		},
	}
	c.Flags().StringVar(&format, "format", "text", "output format: text or json")
	c.Flags().StringArrayVar(&dirs, "policy-dir", nil, "also load the Rego policies of `DIR` (repeatable)")
	return c
}

func newEngine(ctx context.Context, dirs []string) (*policies.Engine, error) {
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
	return policies.New(ctx, policies.Options{Sources: srcs})
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
		dirs      []string
		noColor   bool
		sourceDir string
		cfnFiles  []string
		cfnParams []string
		vars      varFlags
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

Exit codes:
  0  no finding at or above --severity-threshold
  1  findings at or above --severity-threshold
  2  the scan could not be done (bad flag, missing path, broken policy)
Diagnostics (files that cannot be parsed or evaluated) are reported but do not
change the exit code.`,
		Example: `  portcullis scan examples/terraform/insecure
  portcullis scan --format sarif=results.sarif --format text .
  portcullis scan --var-file prod.tfvars --var region=eu-west-1 infra/
  portcullis scan --policy-dir policies/ --severity-threshold high .`,
		RunE: func(cmd *cobra.Command, args []string) error {
			thr, err := finding.ParseSeverity(threshold)
			if err != nil {
				return fmt.Errorf("--severity-threshold: %w", err)
			}
			outs, err := parseFormats(formats, outPath)
			if err != nil {
				return err
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			root, rel, err := scanRoot(rootDir, args)
			if err != nil {
				return err
			}
			tfVars, err := vars.inputs()
			if err != nil {
				return err
			}
			eng, err := newEngine(cmd.Context(), dirs)
			if err != nil {
				return err
			}
			tfOpts := terraform.Options{Vars: tfVars, Env: tfEnv(), DataDir: os.Getenv("TF_DATA_DIR")}
			planOpts := plan.Options{}
			if sourceDir != "" {
				if planOpts.SourceDir, err = relativeTo(root, sourceDir); err != nil {
					return fmt.Errorf("--source-dir: %w", err)
				}
			}
			cfnOpts, err := cfnOptions(root, cfnFiles, cfnParams)
			if err != nil {
				return err
			}
			rep, evalFailed, err := scan(cmd.Context(), eng, root, rel, parser.Options{Terraform: tfOpts, Plan: planOpts, CloudFormation: cfnOpts})
			if err != nil {
				return err
			}
			for _, o := range outs {
				if err := writeOutput(o, rep, stdout, noColor); err != nil {
					return err
				}
			}
			switch {
			case evalFailed:
				state.code = exitError
			case anyAtLeast(rep.Findings, thr):
				state.code = exitFindings
			}
			if evalFailed {
				fmt.Fprintln(stderr, "portcullis: policy evaluation failed for some roots; see the diagnostics")
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringArrayVarP(&formats, "format", "f", nil, "output `FORMAT`: text, json or sarif; FORMAT=FILE writes to FILE (repeatable)")
	f.StringVarP(&outPath, "output", "o", "", "write the format given without a file to `FILE` instead of standard output")
	f.StringVar(&threshold, "severity-threshold", "low", "exit 1 when a finding is at or above `SEVERITY` (critical, high, medium, low)")
	f.StringVar(&rootDir, "root", "", "`DIR` that file paths in the output are relative to (default: the current directory, or the paths' common parent)")
	f.StringArrayVar(&dirs, "policy-dir", nil, "also load the Rego policies of `DIR` (repeatable)")
	f.StringVar(&sourceDir, "source-dir", "", "the Terraform configuration `DIR` a plan JSON file was made from, for exact locations (default: the plan file's directory when it holds .tf files)")
	f.StringArrayVar(&cfnFiles, "cfn-parameters", nil, "CloudFormation parameter values from a JSON `FILE`: the [{\"ParameterKey\", \"ParameterValue\"}] form of aws cloudformation, or {\"Key\": \"Value\"} (repeatable; later files win)")
	f.StringArrayVar(&cfnParams, "cfn-parameter", nil, "set a CloudFormation parameter: `KEY=VALUE` (repeatable; wins over --cfn-parameters)")
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

// scanRoot decides the directory paths are reported relative to, and
// returns the paths relative to it (slash-separated).
func scanRoot(rootDir string, args []string) (string, []string, error) {
	abs := make([]string, len(args))
	for i, a := range args {
		p, err := filepath.Abs(a)
		if err != nil {
			return "", nil, err
		}
		if _, err := os.Stat(p); err != nil {
			return "", nil, fmt.Errorf("cannot scan %s: %w", a, errors.Unwrap(err))
		}
		abs[i] = p
	}
	var root string
	if rootDir != "" {
		r, err := filepath.Abs(rootDir)
		if err != nil {
			return "", nil, err
		}
		root = r
	} else {
		cwd, err := os.Getwd()
		if err != nil {
			return "", nil, err
		}
		root = cwd
		for _, p := range abs {
			if !within(root, p) {
				root = commonParent(abs)
				break
			}
		}
	}
	rel := make([]string, len(abs))
	for i, p := range abs {
		if !within(root, p) {
			return "", nil, fmt.Errorf("%s is outside the scan root %s", args[i], root)
		}
		r, _ := filepath.Rel(root, p)
		rel[i] = filepath.ToSlash(r)
	}
	return root, rel, nil
}

func within(root, p string) bool {
	r, err := filepath.Rel(root, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

func commonParent(paths []string) string {
	c := paths[0]
	if info, err := os.Stat(c); err == nil && !info.IsDir() {
		c = filepath.Dir(c)
	}
	for _, p := range paths[1:] {
		for !within(c, p) {
			c = filepath.Dir(c)
		}
	}
	return c
}

// scan loads every root under the paths and evaluates the policies over
// each. evalFailed reports a root whose policy evaluation failed.
func scan(ctx context.Context, eng *policies.Engine, root string, paths []string, opts parser.Options) (*finding.Report, bool, error) {
	graphs, err := parser.Load(ctx, os.DirFS(root), paths, opts)
	if err != nil {
		return nil, false, err
	}
	rep := &finding.Report{Tool: tool(), Rules: eng.Rules(), Sources: map[string][]byte{}}
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
	failed := false
	for i, g := range graphs {
		rep.Resources += len(g.Resources)
		rep.Diagnostics = append(rep.Diagnostics, g.Diagnostics...)
		for f, src := range g.Sources {
			rep.Sources[f] = src
		}
		res := results[i]
		rep.Findings = append(rep.Findings, res.findings...)
		rep.Diagnostics = append(rep.Diagnostics, res.diags...)
		if res.err != nil {
			failed = true
			rep.Diagnostics = append(rep.Diagnostics, graph.Diagnostic{
				Severity: graph.SeverityError, Summary: "policy evaluation failed", Detail: res.err.Error(),
				Range: graph.Range{File: g.Root},
			})
		}
	}
	rep.Dedupe()
	return rep, failed, nil
}

func writeOutput(o output, rep *finding.Report, stdout io.Writer, noColor bool) (err error) {
	w := stdout
	color := false
	if o.path != "" {
		f, err := os.Create(o.path)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	} else if f, ok := stdout.(*os.File); ok && !noColor {
		color = report.ColorEnabled(f)
	}
	switch o.format {
	case "sarif":
		return sarif.Write(w, rep)
	case "json":
		return report.WriteJSON(w, rep)
	default:
		return report.WriteText(w, rep, report.TextOptions{Color: color})
	}
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
			b, err := os.ReadFile(it.value)
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

// relativeTo returns p (an OS path) relative to root, slash-separated.
func relativeTo(root, p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if !within(root, abs) {
		return "", fmt.Errorf("%s is outside the scan root %s", p, root)
	}
	r, err := filepath.Rel(root, abs)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(r), nil
}

// cfnOptions reads the CloudFormation parameter files and values.
func cfnOptions(root string, files, params []string) (cloudformation.Options, error) {
	var opts cloudformation.Options
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return opts, fmt.Errorf("--cfn-parameters: %w", err)
		}
		name := filepath.ToSlash(f)
		if rel, err := relativeTo(root, f); err == nil {
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

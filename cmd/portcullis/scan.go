package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report"
	"github.com/portcullis-iac/portcullis/sarif"
)

// formatNames are the output formats.
var formatNames = []string{"text", "json", "sarif", "github", "markdown", "junit", "soc2-csv", "html"}

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
		if !slices.Contains(formatNames, f) {
			return nil, fmt.Errorf("--format %s: unknown format %q (want %s, optionally FORMAT=FILE)", s, f, strings.Join(formatNames, ", "))
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

// scanFlags are the flags of the scan command.
type scanFlags struct {
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

	configFile        string
	noConfig          bool
	exclude           []string
	exceptions        string
	baseline          string
	baselineWrite     string
	diffBase          string
	changedFiles      bool
	quiet, compact    bool
	progress          bool
	sarifCategory     string
	includeSuppressed bool
}

func newScanCommand(stdout, stderr io.Writer, state *exitState) *cobra.Command {
	var fl scanFlags
	c := &cobra.Command{
		Use:   "scan [flags] [PATH...]",
		Short: "Scan Terraform and CloudFormation for policy violations",
		Long: `Scan the Terraform modules, Terraform plan JSON files and CloudFormation
templates found under each PATH (default: the current directory). Every
directory holding *.tf, *.tf.json or *.tofu files is a module; those that no
other scanned directory calls as a local module are evaluated as root
modules, with every module they call. .terraform, .git and hidden
directories are skipped.

Terraform plan JSON (terraform show -json PLANFILE > plan.json) is scanned
too: a file named as a PATH is detected by its content; while walking a
directory, files named plan.json, tfplan.json or *.tfplan.json are read.
Findings point at the .tf source when it is beside the plan or given with
--source-dir, else into the plan file. CloudFormation templates (.yaml,
.yml, .json, .template) are recognised by their content.

The scan root is the repository holding each PATH (or PATH itself outside a
repository, or --root): nothing outside it is read, symbolic links that lead
out of it are not followed, and version-control directories are never read.

Configuration comes from .portcullis.yaml, looked for in the first PATH's
directory and each parent up to the scan root, or from --config (see
docs/configuration.md); flags override it. After evaluation, a triage stage
takes findings out of what counts, in this order, keeping them (with the
reason) for the formats that show them: rule severity overrides, excluded
paths, inline ignores, the exceptions register, the baseline, changed lines
(--diff-base, --changed-files) and the severity threshold (docs/triage.md).

Exit codes:
  0  no finding counts (none at or above --severity-threshold, or all
     triaged out)
  1  findings at or above --severity-threshold
  2  the scan could not be done (bad flag, bad configuration, missing path,
     broken policy), or it is incomplete: an error diagnostic (a file that
     cannot be read or parsed, a limit reached, a policy runtime error) could
     hide findings. With --allow-incomplete, error diagnostics are reported
     but findings alone decide. Warnings (a value left unknown, an ignore
     that matches nothing) never change the exit code.`,
		Example: `  portcullis scan examples/terraform/insecure
  portcullis scan --format sarif=results.sarif --format text .
  portcullis scan --var-file prod.tfvars --var region=eu-west-1 infra/
  portcullis scan --policy-dir policies/ --severity-threshold high .
  portcullis scan --baseline .portcullis/baseline.json --diff-base origin/main .
  portcullis scan --changed-files infra/net/main.tf cfn/app.yaml   # pre-commit`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd, args, &fl, stdout, stderr, state)
		},
	}
	f := c.Flags()
	f.StringArrayVarP(&fl.formats, "format", "f", nil, "output `FORMAT`: "+strings.Join(formatNames, ", ")+"; FORMAT=FILE writes to FILE (repeatable)")
	f.StringVarP(&fl.outPath, "output", "o", "", "write the format given without a file to `FILE` instead of standard output")
	f.StringVar(&fl.threshold, "severity-threshold", "low", "count (exit 1 and print) only findings at or above `SEVERITY` (critical, high, medium, low)")
	f.StringVar(&fl.rootDir, "root", "", "the scan root `DIR`: nothing outside it is read, and output paths are relative to it (default: the repository holding each PATH, else PATH itself)")
	fl.sel.flags(c, "also run the opt-in rule `ID`", "do not run the rule `ID`")
	f.StringVar(&fl.groupBy, "group-by", "none", "text output: list the findings under each control their rules evidence (`control`), or in file order (none)")
	f.StringVar(&fl.sourceDir, "source-dir", "", "the Terraform configuration `DIR` a plan JSON file was made from, for exact locations (default: the plan file's directory when it holds .tf files)")
	f.StringArrayVar(&fl.cfnFiles, "cfn-parameters", nil, "CloudFormation parameter values from a JSON `FILE`: the [{\"ParameterKey\", \"ParameterValue\"}] form of aws cloudformation, or {\"Key\": \"Value\"} (repeatable; later files win)")
	f.StringArrayVar(&fl.cfnParams, "cfn-parameter", nil, "set a CloudFormation parameter: `KEY=VALUE` (repeatable; wins over --cfn-parameters)")
	f.BoolVar(&fl.allowIncomplete, "allow-incomplete", false, "do not fail (exit 2) when a diagnostic says the scan is incomplete (a file that cannot be read or parsed, a limit reached, a policy error); findings decide the exit code")
	f.StringVar(&fl.maxMemory, "max-memory", fmt.Sprintf("%dGiB", defaultMaxMemory>>30), "stop and fail the scan when it holds more than `SIZE` of memory (0: no limit)")
	f.DurationVar(&fl.timeout, "timeout", 10*time.Minute, "stop and fail the scan after `DURATION` (0: no limit)")
	f.BoolVar(&fl.noColor, "no-color", false, "never colour text output (colour is used only on a terminal; NO_COLOR is respected)")
	f.Var(&varFlag{vars: &fl.vars, file: false}, "var", "set a Terraform root module variable: `NAME=VALUE` (repeatable; applied in command-line order with --var-file)")
	f.Var(&varFlag{vars: &fl.vars, file: true}, "var-file", "load Terraform root module variables from a .tfvars or .tfvars.json `FILE` (repeatable)")
	f.StringVar(&fl.configFile, "config", "", "read the configuration from `FILE` instead of the .portcullis.yaml found from the first PATH up to the scan root")
	f.BoolVar(&fl.noConfig, "no-config", false, "read no configuration file")
	f.StringArrayVar(&fl.exclude, "exclude", nil, "do not scan, or report findings in, paths matching `GLOB` (relative to the scan root; ** matches any depth; repeatable, added to the configuration's exclude)")
	f.StringVar(&fl.exceptions, "exceptions", "", "the exceptions register `FILE` (default: the configuration's exceptions, else .portcullis/exceptions.yaml when present)")
	f.StringVar(&fl.baseline, "baseline", "", "report only findings that are not in the baseline `FILE` (written by --baseline-write)")
	f.StringVar(&fl.baselineWrite, "baseline-write", "", "record the findings that count today in the baseline `FILE`")
	f.StringVar(&fl.diffBase, "diff-base", "", "report only findings with a location on a line changed since the git `REF` (git diff REF); whole modules and templates are still evaluated")
	f.BoolVar(&fl.changedFiles, "changed-files", false, "the PATHs are changed files (as pre-commit passes them): evaluate the module directory or template of each, report only findings located in them, and skip quietly files that are neither Terraform nor CloudFormation or that no longer exist")
	f.BoolVarP(&fl.quiet, "quiet", "q", false, "text output: print only the summary and error diagnostics")
	f.BoolVar(&fl.compact, "compact", false, "text output: print each rule's remediation once, after the findings")
	f.BoolVar(&fl.progress, "progress", false, "show progress on standard error even when it is not a terminal")
	f.StringVar(&fl.sarifCategory, "sarif-category", "", "SARIF: the category of the run (runs.automationDetails.id is portcullis/`CATEGORY`), one per analysis of a monorepo")
	f.BoolVar(&fl.includeSuppressed, "sarif-include-suppressed", false, "SARIF: also write triaged-out findings, with suppressions (GitHub code scanning shows them as open alerts)")
	return c
}

// scan loads every root under the paths and evaluates the policies over
// each as it is loaded (scanStream). A root whose evaluation failed has an
// error diagnostic.
func scan(ctx context.Context, eng *policies.Engine, fsys fs.FS, paths []string, opts parser.Options, prog *progress) (*finding.Report, error) {
	return scanStream(ctx, eng, fsys, paths, opts, prog)
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

func writeOutput(o output, rep *finding.Report, stdout io.Writer, st *settings, roots *scanRoots) error {
	w := stdout
	color := false
	var out io.WriteCloser
	if o.path != "" {
		f, err := createOutput(o.path, roots)
		if err != nil {
			return err
		}
		out, w = f, f
	} else if f, ok := stdout.(*os.File); ok && st.color {
		color = report.ColorEnabled(f)
	}
	var err error
	switch o.format {
	case "sarif":
		err = sarif.WriteWith(w, rep, sarif.Options{Category: st.sarifCategory, IncludeSuppressed: st.includeSuppressed})
	case "json":
		err = report.WriteJSON(w, rep)
	case "github":
		err = report.WriteGitHub(w, rep)
	case "markdown":
		err = report.WriteMarkdown(w, rep)
	case "junit":
		err = report.WriteJUnit(w, rep)
	case "soc2-csv":
		err = report.WriteSOC2CSV(w, rep)
	case "html":
		err = report.WriteHTML(w, rep)
	default:
		err = report.WriteText(w, rep, report.TextOptions{Color: color, ByControl: st.groupBy == "control", Style: st.style})
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

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/plan"
	"github.com/portcullis-iac/portcullis/parser/terraform"
	"github.com/portcullis-iac/portcullis/policies"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report"
	"github.com/portcullis-iac/portcullis/triage"
)

// now is the clock of the triage stage (expiry dates, the report's time);
// tests replace it.
var now = time.Now

// runScan is the scan command: settings from the configuration and the
// flags, load and evaluate, triage, write, and the exit code.
func runScan(cmd *cobra.Command, args []string, fl *scanFlags, stdout, stderr io.Writer, state *exitState) error {
	if fl.changedFiles {
		// A file the change deleted (git diff --name-only lists it) has
		// nothing left to report.
		args = slices.DeleteFunc(args, func(a string) bool {
			_, err := os.Lstat(a)
			return errors.Is(err, fs.ErrNotExist)
		})
		if len(args) == 0 {
			return nil // no changed file of ours: nothing to do
		}
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	roots, err := newScanRoots(fl.rootDir, args)
	if err != nil {
		return err
	}
	fsys, err := roots.fs()
	if err != nil {
		return err
	}
	defer fsys.Close()
	st, err := resolveSettings(cmd, fl, roots, fsys, args)
	if err != nil {
		return err
	}
	tfVars, err := fl.vars.inputs()
	if err != nil {
		return err
	}
	// The configuration's rule keys are checked against the rules of an
	// engine with the flags' choices, so that an unknown key is reported
	// where it is written; only when the configuration turns rules on or
	// off is a second engine made with them (New costs about 9 ms: it
	// reads every rule's metadata).
	eng, err := newEngineWith(cmd.Context(), st, false)
	if err != nil {
		return err
	}
	if err := st.checkRules(eng); err != nil {
		return err
	}
	if st.configSelects() {
		if eng, err = newEngineWith(cmd.Context(), st, true); err != nil {
			return err
		}
	}
	if st.policySet, err = policies.PolicySetHash(st.srcs); err != nil {
		return err
	}
	tfOpts := terraform.Options{Vars: tfVars, Env: tfEnv(), DataDir: os.Getenv("TF_DATA_DIR")}
	planOpts := plan.Options{}
	if fl.sourceDir != "" {
		if planOpts.SourceDir, err = roots.relative(fl.sourceDir); err != nil {
			return fmt.Errorf("--source-dir: %w", err)
		}
	}
	cfnOpts, err := cfnOptions(roots, fl.cfnFiles, fl.cfnParams)
	if err != nil {
		return err
	}
	limit, err := parseSize(fl.maxMemory)
	if err != nil {
		return fmt.Errorf("--max-memory: %w", err)
	}
	defer memoryGuard(limit, stderr)()
	defer scanGC()()
	ctx := cmd.Context()
	if fl.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, fl.timeout)
		defer cancel()
	}
	opts := parser.Options{Terraform: tfOpts, Plan: planOpts, CloudFormation: cfnOpts, Implicit: fl.changedFiles}
	if len(st.exclude) > 0 {
		if opts.Exclude, err = triage.PathMatcher(st.exclude); err != nil {
			return err
		}
	}
	prog := newProgress(stderr, fl.progress)
	rep, err := scan(ctx, eng, fsys, roots.paths, opts, prog)
	if err != nil {
		return err
	}
	rep.Time = now().UTC()
	rep.PolicySet = st.policySet
	topts, err := st.triageOptions(ctx, roots, fsys)
	if err != nil {
		return err
	}
	rep.Diagnostics = append(rep.Diagnostics, triage.Apply(rep, topts)...)
	if d, ok := st.hidingNote(); ok {
		rep.Diagnostics = append(rep.Diagnostics, d)
	}
	rep.Sort()
	if fl.baselineWrite != "" {
		if err := writeBaseline(fl.baselineWrite, rep, roots); err != nil {
			return err
		}
	}
	for _, o := range st.outputs {
		if err := writeOutput(o, rep, stdout, st, roots); err != nil {
			return err
		}
	}
	if !st.diagnosticsShown() {
		// An expired exception must not pass unseen because the output
		// is a spreadsheet.
		_ = report.WriteDiagnosticLines(stderr, "portcullis", rep.Diagnostics)
	}
	incomplete := countErrors(rep.Diagnostics)
	switch {
	case incomplete > 0 && !st.allowIncomplete:
		state.code = exitError
		fmt.Fprintf(stderr, "portcullis: the scan is incomplete: %d error diagnostic(s) could hide findings (see above); --allow-incomplete accepts an incomplete scan\n", incomplete)
	case counted(rep.Findings) > 0:
		state.code = exitFindings
	}
	return nil
}

// counted is the number of findings the triage stage left in: those that
// fail the scan.
func counted(fs []finding.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Suppressed == nil {
			n++
		}
	}
	return n
}

// writeBaseline records the findings that count in a new baseline file.
func writeBaseline(name string, rep *finding.Report, roots *scanRoots) error {
	out, err := createOutput(name, roots)
	if err != nil {
		return fmt.Errorf("--baseline-write: %w", err)
	}
	if err := triage.WriteBaseline(out, rep); err != nil {
		if r, ok := out.(*renameOnClose); ok {
			r.Abort()
		} else {
			_ = out.Close()
		}
		return fmt.Errorf("--baseline-write: %w", err)
	}
	return out.Close()
}

// diagnosticsShown reports whether some output carries every diagnostic;
// soc2-csv has none and junit only errors.
func (st *settings) diagnosticsShown() bool {
	for _, o := range st.outputs {
		if o.format != "soc2-csv" && o.format != "junit" {
			return true
		}
	}
	return false
}

// hidingNote says, as a note in every output, what the configuration file
// turns off: a configuration is part of the change a pull request can
// make, and what it hides must not pass unseen.
func (st *settings) hidingNote() (graph.Diagnostic, bool) {
	cfg := st.cfg
	if cfg == nil {
		return graph.Diagnostic{}, false
	}
	var parts []string
	var off, lowered []string
	for _, id := range cfg.RuleKeys() {
		r := cfg.Rules[id]
		if r.Enabled != nil && !*r.Enabled && !slices.Contains(st.fl.sel.enable, id) && !slices.Contains(st.fl.sel.disable, id) {
			off = append(off, id)
		}
		if r.Severity != "" {
			lowered = append(lowered, id+" to "+string(r.Severity))
		}
	}
	if len(off) > 0 {
		parts = append(parts, "disables "+strings.Join(off, ", "))
	}
	if len(lowered) > 0 {
		parts = append(parts, "sets the severity of "+strings.Join(lowered, ", "))
	}
	if len(cfg.Exclude) > 0 {
		parts = append(parts, "excludes "+strings.Join(cfg.Exclude, ", "))
	}
	if len(cfg.Ports.Public) > 0 {
		ports := make([]string, len(cfg.Ports.Public))
		for i, p := range cfg.Ports.Public {
			ports[i] = fmt.Sprint(p)
		}
		parts = append(parts, "allows ports "+strings.Join(ports, ", ")+" open to the internet")
	}
	if cfg.SeverityThreshold != "" && cfg.SeverityThreshold == st.threshold && st.threshold != finding.Low {
		parts = append(parts, "counts only findings at or above "+string(cfg.SeverityThreshold))
	}
	if cfg.Incomplete == "allow" && st.allowIncomplete {
		parts = append(parts, "accepts incomplete scans")
	}
	if len(parts) == 0 {
		return graph.Diagnostic{}, false
	}
	d := graph.Diagnostic{
		Severity: graph.SeverityNote,
		Summary:  "the configuration hides findings by choice",
		Detail:   cfg.Path + " " + strings.Join(parts, "; "),
	}
	if st.inRepo {
		d.Range.File = cfg.Path
	}
	return d, true
}

// scanGCPercent is the garbage collector's target during a scan. At the
// default 100 the collector took a quarter of the CPU of a monorepo scan;
// at 200, measured on 20 copies of the Terraform corpus (2 cores, quiet):
// 25.6 -> 22.2 s wall, 48.4 -> 42.3 CPU s, peak RSS 252 -> 383 MiB. The
// memory guard's soft limit (seven eighths of --max-memory) still makes
// the collector run when the heap nears it.
const scanGCPercent = 200

// scanGC raises the collector's target for the scan unless the user set
// GOGC; the function it returns restores it.
func scanGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	prev := debug.SetGCPercent(scanGCPercent)
	return func() { debug.SetGCPercent(prev) }
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/portcullis-iac/portcullis/config"
	"github.com/portcullis-iac/portcullis/parser/safefs"
	"github.com/portcullis-iac/portcullis/policies"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/triage"
)

// settings are what a scan does: the configuration file's choices with the
// flags over them.
type settings struct {
	fl  *scanFlags
	cfg *config.Config // nil without a configuration file
	// inRepo is set when the configuration was found in the scanned tree:
	// the paths it names are then read through the confined file system,
	// relative to the base, like any scanned file.
	inRepo bool

	sel             ruleSelection
	srcs            []policies.Source           // the configuration's policy_dirs, then --policy-dir
	severity        map[string]finding.Severity // by rule id, once checkRules ran
	threshold       finding.Severity
	outputs         []output
	groupBy         string
	style           string
	color           bool
	allowIncomplete bool
	exclude         []string
	portsData       map[string]any
	policySet       string

	sarifCategory     string
	includeSuppressed bool
}

// resolveSettings reads the configuration (--config, or the
// .portcullis.yaml nearest the first PATH within its scan root) and lays
// the flags over it: a flag given on the command line always wins.
func resolveSettings(cmd *cobra.Command, fl *scanFlags, roots *scanRoots, fsys *safefs.FS, args []string) (*settings, error) {
	st := &settings{fl: fl, sarifCategory: fl.sarifCategory, includeSuppressed: fl.includeSuppressed}
	changed := cmd.Flags().Changed
	if fl.configFile != "" && fl.noConfig {
		return nil, errors.New("--config and --no-config are mutually exclusive")
	}
	switch {
	case fl.configFile != "":
		b, err := readArgFile(fl.configFile)
		if err != nil {
			return nil, fmt.Errorf("--config: %w", err)
		}
		if st.cfg, err = config.Load(fl.configFile, b); err != nil {
			return nil, err
		}
	case !fl.noConfig:
		name, err := findConfig(roots, args[0])
		if err != nil {
			return nil, err
		}
		if name != "" {
			b, err := fsys.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, safefs.Cause(err))
			}
			if st.cfg, err = config.Load(name, b); err != nil {
				return nil, err
			}
			st.inRepo = true
		}
	}
	cfg := st.cfg
	if cfg == nil {
		cfg = &config.Config{}
	}

	// Rules: the configuration's choices, unless a flag names the rule.
	st.sel = fl.sel
	flagged := map[string]bool{}
	for _, id := range append(append([]string{}, fl.sel.enable...), fl.sel.disable...) {
		flagged[id] = true
	}
	ids := make([]string, 0, len(cfg.Rules))
	for id := range cfg.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r := cfg.Rules[id]
		if r.Enabled == nil || flagged[id] {
			continue
		}
		if *r.Enabled {
			st.sel.enable = append(st.sel.enable, id)
		} else {
			st.sel.disable = append(st.sel.disable, id)
		}
	}
	for _, d := range cfg.PolicyDirs {
		src, err := st.policyDir(d, fsys)
		if err != nil {
			return nil, err
		}
		st.srcs = append(st.srcs, src)
	}
	flagSrcs, err := openPolicyDirs(fl.sel.dirs)
	if err != nil {
		return nil, err
	}
	st.srcs = append(st.srcs, flagSrcs...)

	st.threshold = finding.Low
	switch {
	case changed("severity-threshold"):
		if st.threshold, err = finding.ParseSeverity(fl.threshold); err != nil {
			return nil, fmt.Errorf("--severity-threshold: %w", err)
		}
	case cfg.SeverityThreshold != "":
		st.threshold = cfg.SeverityThreshold
	}

	formats := fl.formats
	if !changed("format") && len(cfg.Output.Formats) > 0 {
		formats = cfg.Output.Formats
	}
	if st.outputs, err = parseFormats(formats, fl.outPath); err != nil {
		return nil, err
	}
	st.groupBy = fl.groupBy
	if !changed("group-by") && cfg.Output.GroupBy != "" {
		st.groupBy = cfg.Output.GroupBy
	}
	switch st.groupBy {
	case "", "none", "control":
	default:
		return nil, fmt.Errorf("--group-by: unknown grouping %q (want control or none)", st.groupBy)
	}
	st.style = "full"
	switch {
	case fl.quiet && fl.compact:
		return nil, errors.New("--quiet and --compact are mutually exclusive")
	case fl.quiet:
		st.style = "quiet"
	case fl.compact:
		st.style = "compact"
	case cfg.Output.Style != "":
		st.style = cfg.Output.Style
	}
	st.color = !fl.noColor && (cfg.Output.Color == nil || *cfg.Output.Color)
	st.allowIncomplete = fl.allowIncomplete
	if !changed("allow-incomplete") && cfg.Incomplete == "allow" {
		st.allowIncomplete = true
	}
	st.exclude = append(append([]string{}, cfg.Exclude...), fl.exclude...)
	for _, g := range fl.exclude {
		if err := triage.ValidGlob(g); err != nil {
			return nil, fmt.Errorf("--exclude %s: %w", g, err)
		}
	}
	st.portsData = cfg.PortsData()
	if fl.changedFiles && fl.diffBase != "" {
		return nil, errors.New("--changed-files and --diff-base are mutually exclusive")
	}
	return st, nil
}

// findConfig looks for the configuration file from the directory of the
// first PATH up to its scan root; the name returned is relative to the
// base ("" when there is none).
func findConfig(roots *scanRoots, first string) (string, error) {
	abs, err := filepath.Abs(first)
	if err != nil {
		return "", err
	}
	dir := abs
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		dir = filepath.Dir(abs)
	}
	root := ""
	for _, r := range roots.roots {
		if rr := filepath.Join(roots.base, filepath.FromSlash(r)); within(rr, dir) && len(rr) > len(root) {
			root = rr
		}
	}
	if root == "" {
		return "", nil
	}
	found, err := config.Find(root, dir)
	if err != nil || found == "" {
		return "", err
	}
	rel, err := filepath.Rel(roots.base, found)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), nil
}

// cfgPath checks a path the configuration names (already resolved against
// the configuration file's directory). A configuration found in the
// scanned tree is as untrusted as the rest of it: what it names must be
// inside the scan root, and is read through the confined file system.
func (st *settings) cfgPath(key, p string) (string, error) {
	if !st.inRepo {
		return p, nil
	}
	clean := path.Clean(p)
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("%s: %s: %s is outside the scan root", st.cfg.Path, key, p)
	}
	return clean, nil
}

// policyDir is a policy directory the configuration names.
func (st *settings) policyDir(d string, fsys *safefs.FS) (policies.Source, error) {
	if !st.inRepo {
		srcs, err := openPolicyDirs([]string{d})
		if err != nil {
			return policies.Source{}, fmt.Errorf("%s: policy_dirs: %w", st.cfg.Path, err)
		}
		return srcs[0], nil
	}
	rel, err := st.cfgPath("policy_dirs", d)
	if err != nil {
		return policies.Source{}, err
	}
	info, err := fs.Stat(fsys, rel)
	if err != nil {
		return policies.Source{}, fmt.Errorf("%s: policy_dirs: %s: %w", st.cfg.Path, d, safefs.Cause(err))
	}
	if !info.IsDir() {
		return policies.Source{}, fmt.Errorf("%s: policy_dirs: %s: not a directory", st.cfg.Path, d)
	}
	sub, err := fs.Sub(fsys, rel)
	if err != nil {
		return policies.Source{}, err
	}
	return policies.Source{Name: rel, FS: sub}, nil
}

// newEngineWith is newEngine with the policy sources and the
// configuration's data for the policies; with the configuration's rule
// choices (withConfig) or only those of the flags.
func newEngineWith(ctx context.Context, st *settings, withConfig bool) (*policies.Engine, error) {
	defer lessGC()()
	enable, disable := st.fl.sel.enable, st.fl.sel.disable
	if withConfig {
		enable, disable = st.sel.enable, st.sel.disable
	}
	return policies.New(ctx, policies.Options{Sources: st.srcs, Enable: enable, Disable: disable, Data: st.portsData})
}

// configSelects reports whether the configuration turns rules on or off
// beyond what the flags choose.
func (st *settings) configSelects() bool {
	return len(st.sel.enable) != len(st.fl.sel.enable) || len(st.sel.disable) != len(st.fl.sel.disable)
}

// checkRules turns the configuration's rule keys (ids or names) into ids;
// a key that names no rule is an error.
func (st *settings) checkRules(eng *policies.Engine) error {
	st.severity = map[string]finding.Severity{}
	if st.cfg == nil {
		return nil
	}
	ids := make([]string, 0, len(st.cfg.Rules))
	for id := range st.cfg.Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r, err := eng.Lookup(id)
		if err != nil {
			return fmt.Errorf("%s: rules.%s: %w", st.cfg.Where("rules."+id), id, err)
		}
		if sev := st.cfg.Rules[id].Severity; sev != "" {
			st.severity[r.ID] = sev
		}
	}
	return nil
}

// triageOptions gathers what the triage stage needs: the exceptions
// register, the baseline and the changed lines.
func (st *settings) triageOptions(ctx context.Context, roots *scanRoots, fsys *safefs.FS) (triage.Options, error) {
	cfg := st.cfg
	if cfg == nil {
		cfg = &config.Config{}
	}
	opts := triage.Options{
		Now:       now,
		Severity:  st.severity,
		Exclude:   st.exclude,
		Inline:    cfg.Ignores.Inline == nil || *cfg.Ignores.Inline,
		Require:   cfg.Ignores.Require,
		Threshold: st.threshold,
	}
	// The exceptions register.
	exceptions := cfg.Exceptions
	if st.inRepo && cfg.Where("exceptions") == cfg.Path {
		exceptions = "" // not written: the default, looked for below
	}
	name, content, err := st.optionalFile("--exceptions", st.fl.exceptions, "exceptions", exceptions, fsys)
	if err != nil {
		return opts, err
	}
	if name == "" && st.fl.exceptions == "" && exceptions == "" {
		// The default register, beside the configuration or at the root.
		def := ".portcullis/exceptions.yaml"
		if st.inRepo {
			def = path.Join(path.Dir(cfg.Path), def)
		}
		if b, err := fsys.ReadFile(def); err == nil {
			name, content = def, b
		}
	}
	if name != "" {
		if opts.Exceptions, err = triage.LoadExceptions(name, content); err != nil {
			return opts, err
		}
	}
	// The baseline.
	name, content, err = st.optionalFile("--baseline", st.fl.baseline, "baseline", cfg.Baseline, fsys)
	if err != nil {
		return opts, err
	}
	if name != "" && st.fl.baselineWrite == "" {
		if opts.Baseline, err = triage.ReadBaseline(name, content); err != nil {
			return opts, err
		}
	}
	// Changed lines.
	switch {
	case st.fl.diffBase != "":
		if opts.Changed, err = triage.GitChanges(ctx, roots.base, st.fl.diffBase); err != nil {
			return opts, fmt.Errorf("--diff-base: %w", err)
		}
	case st.fl.changedFiles:
		opts.Changed = triage.FileChanges(roots.paths)
	}
	return opts, nil
}

// optionalFile reads the file a flag names (a file the user chose: read as
// named) or else the one the configuration names (read, like the scanned
// files, only inside the scan root); "" when neither names one.
func (st *settings) optionalFile(flag, flagValue, key, cfgValue string, fsys *safefs.FS) (string, []byte, error) {
	if flagValue != "" {
		b, err := readArgFile(flagValue)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", flag, err)
		}
		return flagValue, b, nil
	}
	if cfgValue == "" {
		return "", nil, nil
	}
	if !st.inRepo {
		b, err := readArgFile(cfgValue)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %s: %w", st.cfg.Path, key, err)
		}
		return cfgValue, b, nil
	}
	rel, err := st.cfgPath(key, cfgValue)
	if err != nil {
		return "", nil, err
	}
	b, err := fsys.ReadFile(rel)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %s: %s: %w", st.cfg.Path, key, cfgValue, safefs.Cause(err))
	}
	return cfgValue, b, nil
}

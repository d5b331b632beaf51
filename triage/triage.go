// Package triage is the stage between evaluation and the writers that
// decides which findings count. It never drops a finding: one it takes out
// keeps its place in the report with a finding.Suppression that says why
// (an auditor sees it), and it does not fail the scan.
//
// Apply runs, in order: severity overrides from the configuration; path
// excludes; inline ignores (graph.Ignore: "# portcullis:ignore" comments,
// CloudFormation Metadata); the exceptions register (LoadExceptions); the
// baseline (ReadBaseline, WriteBaseline); changed lines (GitChanges,
// FileChanges); the severity threshold. The first reason that applies to a
// finding is the one it carries. Dates compare by day in UTC against an
// injected clock, so the stage is deterministic.
package triage

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// Options configure Apply.
type Options struct {
	// Now is the clock expiry dates are compared against (by day, in UTC).
	// Nil: the report's Time, or the current time when that is zero.
	Now func() time.Time
	// Severity overrides the severity of a rule's findings and of the rule
	// (keys are rule ids; a rule's name is accepted too).
	Severity map[string]finding.Severity
	// Exclude are path globs relative to the scan root (doublestar: "**"
	// crosses directories, "*" and "?" do not); a pattern naming a
	// directory covers everything below it.
	Exclude []string
	// Inline allows inline ignores. Apply's zero Options forbid them: the
	// caller sets it from the configuration, true by default.
	Inline bool
	// Require lists the fields an inline ignore must carry to apply:
	// "owner", "ticket".
	Require []string
	// Exceptions is the exceptions register.
	Exceptions []Exception
	// Baseline, when set, takes out every finding recorded in it.
	Baseline *Baseline
	// Changed, when set, takes out every finding none of whose locations
	// lies on a changed line.
	Changed *Changes
	// Threshold takes out the findings below it ("" or low: none).
	Threshold finding.Severity
}

// Apply triages rep in place. It first clears every finding's Suppressed
// (the stage owns it, so applying twice gives the same report), then
// overrides severities (on findings and on rep.Rules) and sets Suppressed
// on each finding it takes out, with the first reason in the order of the
// package comment. Suppressed findings stay in rep.Findings. It returns
// warnings about the triage input: malformed, forbidden, incomplete,
// expired or unmatched ignores, expired or unmatched exceptions, sorted.
// The result does not depend on the order of rep.Findings.
func Apply(rep *finding.Report, opts Options) []graph.Diagnostic {
	t := &triager{rep: rep, opts: opts, today: today(rep, opts)}
	for i := range rep.Findings {
		rep.Findings[i].Suppressed = nil
	}
	t.ran = map[string]bool{}
	for _, r := range rep.Rules {
		t.ran[r.ID] = true
	}
	t.overrideSeverities()
	t.compileExcludes()
	t.prepareIgnores()
	t.prepareExceptions()

	for i := range rep.Findings {
		f := &rep.Findings[i]
		// Every stage looks at every finding, so that an ignore or an
		// exception counts as used even when an earlier reason won.
		reasons := []*finding.Suppression{
			t.excluded(f),
			t.ignored(f),
			t.excepted(f),
			t.baselined(f),
			t.unchanged(f),
			t.belowThreshold(f),
		}
		for _, s := range reasons {
			if s != nil {
				f.Suppressed = s
				break
			}
		}
	}
	t.reportUnmatched()
	return sortDiagnostics(t.diags)
}

type triager struct {
	rep   *finding.Report
	opts  Options
	today string // YYYY-MM-DD
	ran   map[string]bool
	diags []graph.Diagnostic

	excludes    []pathGlob
	excludeHits map[string]*pathGlob // file -> first matching pattern (nil: none)

	ignores    []*ignoreGroup
	byLine     map[lineKey][]*ignoreGroup
	byResource map[string][]*ignoreGroup

	exceptions    []*exceptionState
	exceptionsFor map[string][]*exceptionState // by file: see forFile
}

func today(rep *finding.Report, opts Options) string {
	var now time.Time
	switch {
	case opts.Now != nil:
		now = opts.Now()
	case !rep.Time.IsZero():
		now = rep.Time
	default:
		now = time.Now()
	}
	return now.UTC().Format(time.DateOnly)
}

func (t *triager) warn(r graph.Range, summary, detail string) {
	t.diags = append(t.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: summary, Detail: detail, Range: r})
}

// overrideSeverities applies opts.Severity to rules and findings.
func (t *triager) overrideSeverities() {
	if len(t.opts.Severity) == 0 {
		return
	}
	byID := map[string]finding.Severity{}
	keys := make([]string, 0, len(t.opts.Severity))
	for k := range t.opts.Severity {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if t.opts.Severity[k].Rank() == 0 {
			t.warn(graph.Range{}, fmt.Sprintf("unknown severity %q for rule %s", t.opts.Severity[k], k), "the rule keeps its own severity (want critical, high, medium or low)")
		}
	}
	named := map[string]bool{} // keys that name a rule of rep.Rules
	for i := range t.rep.Rules {
		r := &t.rep.Rules[i]
		named[r.ID], named[r.Name] = true, true
		// An override by id wins over one by name.
		for _, k := range []string{r.ID, r.Name} {
			if s, ok := t.opts.Severity[k]; ok && k != "" && s.Rank() > 0 {
				byID[r.ID] = s
				break
			}
		}
		if s, ok := byID[r.ID]; ok {
			r.Severity = s
		}
	}
	for k, s := range t.opts.Severity {
		if !named[k] && s.Rank() > 0 {
			// A rule missing from rep.Rules (a report built without
			// rule metadata): the key is taken as its id.
			byID[k] = s
		}
	}
	for i := range t.rep.Findings {
		f := &t.rep.Findings[i]
		if s, ok := byID[f.RuleID]; ok {
			f.Severity = s
		}
	}
}

func (t *triager) compileExcludes() {
	t.excludeHits = map[string]*pathGlob{}
	for _, p := range t.opts.Exclude {
		g, err := compilePathGlob(p)
		if err != nil {
			t.warn(graph.Range{}, "exclude pattern ignored", err.Error())
			continue
		}
		t.excludes = append(t.excludes, g)
	}
}

func (t *triager) excluded(f *finding.Finding) *finding.Suppression {
	if len(t.excludes) == 0 {
		return nil
	}
	file := f.Location.Range.File
	hit, ok := t.excludeHits[file]
	if !ok {
		for i := range t.excludes {
			if t.excludes[i].match(file) {
				hit = &t.excludes[i]
				break
			}
		}
		t.excludeHits[file] = hit
	}
	if hit == nil {
		return nil
	}
	return &finding.Suppression{Kind: finding.SuppressedExcluded, Reason: fmt.Sprintf("under %q, which the configuration excludes", hit.text)}
}

func (t *triager) baselined(f *finding.Finding) *finding.Suppression {
	if !t.opts.Baseline.Baselined(*f) {
		return nil
	}
	return &finding.Suppression{Kind: finding.SuppressedBaseline, Reason: "in the baseline " + t.opts.Baseline.Name}
}

func (t *triager) unchanged(f *finding.Finding) *finding.Suppression {
	c := t.opts.Changed
	if c == nil || c.Touches(f.Location.Range) {
		return nil
	}
	for _, o := range f.Location.Related {
		if c.Touches(o.Range) {
			return nil
		}
	}
	return &finding.Suppression{Kind: finding.SuppressedUnchanged, Reason: "no location on a changed line"}
}

func (t *triager) belowThreshold(f *finding.Finding) *finding.Suppression {
	th := t.opts.Threshold
	if th.Rank() == 0 || f.Severity.AtLeast(th) {
		return nil
	}
	return &finding.Suppression{Kind: finding.SuppressedThreshold, Reason: "below the severity threshold " + string(th)}
}

// sortDiagnostics sorts ds and drops repeats.
func sortDiagnostics(ds []graph.Diagnostic) []graph.Diagnostic {
	graph.SortDiagnostics(ds)
	out := ds[:0]
	for i, d := range ds {
		if i > 0 && ds[i-1] == d {
			continue
		}
		out = append(out, d)
	}
	return out
}

// ruleList formats rule ids for a message: "PCS-AWS-001, PCS-AWS-002" or
// "every rule" for "*".
func ruleList(rules []string) string {
	for _, r := range rules {
		if r == "*" {
			return "every rule"
		}
	}
	return strings.Join(rules, ", ")
}

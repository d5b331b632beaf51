package triage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portcullis-iac/portcullis/internal/golden"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// The scenarios under testdata/scenarios/NAME/ run Apply end to end on a
// small serialised report:
//
//	report.json      rules, findings and inline ignores (ranges as "file:line:col" or "file:line:col-line:col")
//	options.json     the options; files named there are read from the directory
//	exceptions.yaml  the register, when options.json names it
//	changes.diff     a diff, when options.json names it
//	want.json        the findings' severities and suppressions, and the diagnostics
//
// go test ./triage -run TestScenarios -update rewrites want.json.

type scenarioReport struct {
	Rules    []scenarioRule    `json:"rules"`
	Findings []scenarioFinding `json:"findings"`
	Ignores  []scenarioIgnore  `json:"ignores"`
}

type scenarioRule struct {
	ID       string           `json:"id"`
	Name     string           `json:"name"`
	Severity finding.Severity `json:"severity"`
}

type scenarioFinding struct {
	RuleID    string           `json:"rule_id"`
	Severity  finding.Severity `json:"severity"`
	Resource  string           `json:"resource"`
	Root      string           `json:"root"`
	Attribute string           `json:"attribute,omitempty"`
	Key       string           `json:"key,omitempty"`
	Range     string           `json:"range"`
	Blocks    []string         `json:"blocks,omitempty"`
	Related   []string         `json:"related,omitempty"`
}

type scenarioIgnore struct {
	Root     string   `json:"root"`
	Rules    []string `json:"rules"`
	Reason   string   `json:"reason"`
	Owner    string   `json:"owner,omitempty"`
	Ticket   string   `json:"ticket,omitempty"`
	Expires  string   `json:"expires,omitempty"`
	Range    string   `json:"range"`
	Line     int      `json:"line"`
	Resource string   `json:"resource,omitempty"`
	Problem  string   `json:"problem,omitempty"`
}

type scenarioOptions struct {
	Now          string                      `json:"now"`
	Severity     map[string]finding.Severity `json:"severity"`
	Exclude      []string                    `json:"exclude"`
	Inline       bool                        `json:"inline"`
	Require      []string                    `json:"require"`
	Exceptions   string                      `json:"exceptions"`
	BaselineOf   []int                       `json:"baseline_of"` // indexes of report findings to write a baseline of
	Diff         string                      `json:"diff"`
	ChangedFiles []string                    `json:"changed_files"`
	Threshold    finding.Severity            `json:"threshold"`
}

type scenarioWant struct {
	Findings    []wantFinding  `json:"findings"`
	Diagnostics []string       `json:"diagnostics"`
	Counts      map[string]int `json:"counts"`
}

type wantFinding struct {
	RuleID     string           `json:"rule_id"`
	Resource   string           `json:"resource"`
	Range      string           `json:"range"`
	Severity   finding.Severity `json:"severity"`
	Suppressed *wantSuppression `json:"suppressed"`
}

type wantSuppression struct {
	Kind    string `json:"kind"`
	Reason  string `json:"reason"`
	Owner   string `json:"owner,omitempty"`
	Ticket  string `json:"ticket,omitempty"`
	Expires string `json:"expires,omitempty"`
	Range   string `json:"range,omitempty"`
}

// parseRange reads "file:line:col" or "file:line:col-line:col" (the end
// defaults to ten columns on). Byte offsets are made up but ordered.
func parseRange(s string) (graph.Range, error) {
	if s == "" {
		return graph.Range{}, nil
	}
	first, second, hasEnd := strings.Cut(s, "-")
	parts := strings.Split(first, ":")
	if len(parts) != 3 {
		return graph.Range{}, fmt.Errorf("bad range %q", s)
	}
	l, err1 := strconv.Atoi(parts[1])
	c, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil {
		return graph.Range{}, fmt.Errorf("bad range %q", s)
	}
	mk := func(l, c int) graph.Pos { return graph.Pos{Line: l, Column: c, Byte: (l-1)*1000 + c - 1} }
	r := graph.Range{File: parts[0], Start: mk(l, c), End: mk(l, c+10)}
	if hasEnd {
		var el, ec int
		if _, err := fmt.Sscanf(second, "%d:%d", &el, &ec); err != nil {
			return graph.Range{}, fmt.Errorf("bad range end %q", s)
		}
		r.End = mk(el, ec)
	}
	return r, nil
}

func formatRange(r graph.Range) string {
	if r.IsZero() {
		return ""
	}
	return r.String()
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func TestScenarios(t *testing.T) {
	dirs, err := filepath.Glob("testdata/scenarios/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) { runScenario(t, dir) })
	}
}

func runScenario(t *testing.T, dir string) {
	var in scenarioReport
	readJSON(t, filepath.Join(dir, "report.json"), &in)
	var so scenarioOptions
	readJSON(t, filepath.Join(dir, "options.json"), &so)

	rep := &finding.Report{}
	for _, r := range in.Rules {
		rep.Rules = append(rep.Rules, finding.Rule{ID: r.ID, Name: r.Name, Severity: r.Severity})
	}
	must := func(r graph.Range, err error) graph.Range {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, f := range in.Findings {
		ff := finding.Finding{RuleID: f.RuleID, Severity: f.Severity, Resource: f.Resource, Root: f.Root,
			Attribute: f.Attribute, Key: f.Key, Location: finding.Location{Range: must(parseRange(f.Range))}}
		for _, b := range f.Blocks {
			ff.Blocks = append(ff.Blocks, must(parseRange(b)))
		}
		for _, r := range f.Related {
			ff.Location.Related = append(ff.Location.Related, graph.Origin{Kind: graph.OriginVariableDefault, Range: must(parseRange(r))})
		}
		rep.Findings = append(rep.Findings, ff)
	}
	for _, ig := range in.Ignores {
		rep.Ignores = append(rep.Ignores, graph.Ignore{Root: ig.Root, Rules: ig.Rules, Reason: ig.Reason, Owner: ig.Owner,
			Ticket: ig.Ticket, Expires: ig.Expires, Range: must(parseRange(ig.Range)), Line: ig.Line, Resource: ig.Resource, Problem: ig.Problem})
	}

	now, err := time.Parse(time.DateOnly, so.Now)
	if err != nil {
		t.Fatalf("options.json now: %v", err)
	}
	opts := Options{Now: func() time.Time { return now.Add(12 * time.Hour) }, Severity: so.Severity, Exclude: so.Exclude,
		Inline: so.Inline, Require: so.Require, Threshold: so.Threshold}
	if so.Exceptions != "" {
		data, err := os.ReadFile(filepath.Join(dir, so.Exceptions))
		if err != nil {
			t.Fatal(err)
		}
		if opts.Exceptions, err = LoadExceptions(so.Exceptions, data); err != nil {
			t.Fatal(err)
		}
	}
	if so.BaselineOf != nil {
		base := &finding.Report{}
		for _, i := range so.BaselineOf {
			base.Findings = append(base.Findings, rep.Findings[i])
		}
		var buf bytes.Buffer
		if err := WriteBaseline(&buf, base); err != nil {
			t.Fatal(err)
		}
		if opts.Baseline, err = ReadBaseline("baseline.json", buf.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if so.Diff != "" {
		f, err := os.Open(filepath.Join(dir, so.Diff))
		if err != nil {
			t.Fatal(err)
		}
		opts.Changed, err = ParseUnifiedDiff(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if so.ChangedFiles != nil {
		if opts.Changed != nil {
			t.Fatal("options.json: diff and changed_files both set")
		}
		opts.Changed = FileChanges(so.ChangedFiles)
	}

	diags := Apply(rep, opts)
	got := scenarioWant{Diagnostics: []string{}, Counts: map[string]int{}}
	for _, f := range rep.Findings {
		w := wantFinding{RuleID: f.RuleID, Resource: f.Resource, Range: formatRange(f.Location.Range), Severity: f.Severity}
		if s := f.Suppressed; s != nil {
			w.Suppressed = &wantSuppression{Kind: s.Kind, Reason: s.Reason, Owner: s.Owner, Ticket: s.Ticket, Expires: s.Expires, Range: formatRange(s.Range)}
			got.Counts[s.Kind]++
		} else {
			got.Counts["open"]++
		}
		got.Findings = append(got.Findings, w)
	}
	for _, d := range diags {
		got.Diagnostics = append(got.Diagnostics, d.String())
	}
	out, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, '\n')
	wantFile := filepath.Join(dir, "want.json")
	golden.Check(t, wantFile, out)
}

package triage

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

func TestExclude(t *testing.T) {
	mk := func(file string) finding.Finding {
		f := sgFinding()
		f.Location.Range.File = file
		return f
	}
	rep := newReport(mk("examples/complete/main.tf"), mk("examples.tf"), mk("modules/a/test/fixture.tf"),
		mk("main.tf"), mk("legacy/x.tf"), mk(""))
	diags := Apply(rep, Options{Now: clock, Exclude: []string{"./examples/", "modules/*/test", "legacy/[", "/abs"}})
	ex := func(p string) *finding.Suppression {
		return &finding.Suppression{Kind: finding.SuppressedExcluded, Reason: `under "` + p + `", which the configuration excludes`}
	}
	want := []*finding.Suppression{ex("./examples/"), nil, ex("modules/*/test"), nil, nil, nil}
	if d := cmp.Diff(want, suppressions(rep)); d != "" {
		t.Errorf("suppressions (-want +got):\n%s", d)
	}
	wantDiags := []graph.Diagnostic{
		warning(graph.Range{}, "exclude pattern ignored", `bad path pattern "legacy/[" (unclosed [ or {)`),
		warning(graph.Range{}, "exclude pattern ignored", `path pattern "/abs" is absolute; patterns are relative to the scan root`),
	}
	if d := cmp.Diff(wantDiags, diags); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
}

func TestPathGlob(t *testing.T) {
	tests := []struct {
		pattern, file string
		want          bool
	}{
		{"examples", "examples/a/main.tf", true},
		{"examples/**", "examples/main.tf", true},
		{"examples/*", "examples/a/b/main.tf", true}, // examples/a matches: everything below it
		{"*.tf", "main.tf", true},
		{"*.tf", "a/main.tf", false},
		{"**/*.tf", "a/b/main.tf", true},
		{"**/test/**", "modules/x/test/main.tf", true},
		{"m?in.tf", "main.tf", true},
		{"{dev,prod}/**", "prod/main.tf", true},
		{"{dev,prod}/**", "stage/main.tf", false},
		{"examples", "examples-old/main.tf", false},
		{"examples", "src/examples/main.tf", false},
	}
	for _, tc := range tests {
		g, err := compilePathGlob(tc.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got := g.match(tc.file); got != tc.want {
			t.Errorf("%q on %q = %v, want %v", tc.pattern, tc.file, got, tc.want)
		}
	}
}

func TestAddrMatch(t *testing.T) {
	tests := []struct {
		pattern, addr string
		want          bool
	}{
		{"aws_s3_bucket.logs", "aws_s3_bucket.logs", true},
		{"aws_s3_bucket.logs", "aws_s3_bucket.logs2", false},
		{"aws_s3_bucket.*", "aws_s3_bucket.logs", true},
		{"*", `module.a["x/y"].aws_s3_bucket.b[0]`, true},
		{"module.edge.*", `module.edge.module.inner.aws_sg.x["k"]`, true}, // * crosses dots
		{"module.*.aws_sg.x", "module.a.aws_sg.x", true},
		{`aws_instance.web[0]`, `aws_instance.web[0]`, true}, // brackets are literal
		{`aws_instance.web[0]`, `aws_instance.web0`, false},
		{`aws_instance.web[?]`, `aws_instance.web[7]`, true},
		{`aws_instance.web[?]`, `aws_instance.web[12]`, false},
		{"*.logs", "aws_s3_bucket.logs", true},
		{"*.logs", "aws_s3_bucket.logs.x", false},
		{"a*b*c", "axxbyyc", true},
		{"a*b*c", "axxbyy", false},
		{"", "", true},
		{"", "a", false},
		{"Wébsg*", "WébsgProd", true},
		{"a*a", "a", false},
		{"a*a", "aa", true},
		{"*x*x*", "xx", true},
		{"*x*x*", "x", false},
		{"**", "", true},
	}
	for _, tc := range tests {
		if got := addrMatch(tc.pattern, tc.addr); got != tc.want {
			t.Errorf("addrMatch(%q, %q) = %v, want %v", tc.pattern, tc.addr, got, tc.want)
		}
	}
}

func TestSeverityOverride(t *testing.T) {
	f1, f2, f3 := sgFinding(), moduleFinding(), sgFinding()
	f3.RuleID = "USER-001" // a rule without metadata in the report
	rep := newReport(f1, f2, f3)
	diags := Apply(rep, Options{Now: clock, Severity: map[string]finding.Severity{
		"open-ingress":  finding.Medium,   // by name
		"PCS-AWS-002":   finding.Low,      // by id
		"s3-encryption": finding.Critical, // by name: the id wins
		"USER-001":      finding.High,
		"PCS-AWS-003":   "hihg",
	}})
	gotRules := map[string]finding.Severity{}
	for _, r := range rep.Rules {
		gotRules[r.ID] = r.Severity
	}
	if d := cmp.Diff(map[string]finding.Severity{"PCS-AWS-001": finding.Medium, "PCS-AWS-002": finding.Low, "PCS-AWS-003": finding.Medium}, gotRules); d != "" {
		t.Errorf("rule severities (-want +got):\n%s", d)
	}
	var got []finding.Severity
	for _, f := range rep.Findings {
		got = append(got, f.Severity)
	}
	if d := cmp.Diff([]finding.Severity{finding.Medium, finding.Low, finding.High}, got); d != "" {
		t.Errorf("finding severities (-want +got):\n%s", d)
	}
	want := []graph.Diagnostic{warning(graph.Range{}, `unknown severity "hihg" for rule PCS-AWS-003`, "the rule keeps its own severity (want critical, high, medium or low)")}
	if d := cmp.Diff(want, diags); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
}

func TestThreshold(t *testing.T) {
	sev := func(s finding.Severity) finding.Finding {
		f := sgFinding()
		f.Severity = s
		return f
	}
	for _, tc := range []struct {
		threshold finding.Severity
		want      []bool // suppressed, for critical, high, medium, low
	}{
		{"", []bool{false, false, false, false}},
		{finding.Low, []bool{false, false, false, false}},
		{finding.Medium, []bool{false, false, false, true}},
		{finding.High, []bool{false, false, true, true}},
		{finding.Critical, []bool{false, true, true, true}},
	} {
		rep := newReport(sev(finding.Critical), sev(finding.High), sev(finding.Medium), sev(finding.Low))
		Apply(rep, Options{Now: clock, Threshold: tc.threshold})
		for i, f := range rep.Findings {
			if got := f.Suppressed != nil; got != tc.want[i] {
				t.Errorf("threshold %q, %s: suppressed %v, want %v", tc.threshold, f.Severity, got, tc.want[i])
			}
			if f.Suppressed != nil {
				want := finding.Suppression{Kind: finding.SuppressedThreshold, Reason: "below the severity threshold " + string(tc.threshold)}
				if *f.Suppressed != want {
					t.Errorf("suppression = %+v, want %+v", *f.Suppressed, want)
				}
			}
		}
	}
	// The threshold compares the overridden severity.
	rep := newReport(sgFinding())
	Apply(rep, Options{Now: clock, Threshold: finding.High, Severity: map[string]finding.Severity{"PCS-AWS-001": finding.Medium}})
	if rep.Findings[0].Suppressed == nil || rep.Findings[0].Suppressed.Kind != finding.SuppressedThreshold {
		t.Errorf("overridden to medium under a high threshold: %+v, want threshold", rep.Findings[0].Suppressed)
	}
}

func TestChangedLines(t *testing.T) {
	changes := &Changes{Files: map[string]*LineSet{"main.tf": {}, "new.tf": nil, "vars.tf": {}}}
	changes.Files["main.tf"].Add(7, 7)
	changes.Files["vars.tf"].Add(20, 22)
	related := func(f finding.Finding, r graph.Range) finding.Finding {
		f.Location.Related = append(f.Location.Related, graph.Origin{Kind: graph.OriginVariableDefault, Range: r})
		return f
	}
	moved := func(f finding.Finding, r graph.Range) finding.Finding {
		f.Location.Range = r
		return f
	}
	rep := newReport(
		sgFinding(), // main.tf:7
		moved(sgFinding(), rng("main.tf", 3, 1, 9, 2)),                         // a block spanning line 7
		moved(sgFinding(), rng("main.tf", 5, 1, 7, 1)),                         // ends at the start of line 7: does not touch it
		moved(sgFinding(), at("main.tf", 8, 1)),                                // the line after
		related(moved(sgFinding(), at("main.tf", 8, 1)), at("vars.tf", 22, 3)), // its value comes from a changed line
		related(moved(sgFinding(), at("main.tf", 8, 1)), at("vars.tf", 23, 3)),
		moved(sgFinding(), at("new.tf", 40, 1)), // a wholly changed file
		moved(sgFinding(), graph.Range{}),       // no location
	)
	Apply(rep, Options{Now: clock, Changed: changes})
	un := &finding.Suppression{Kind: finding.SuppressedUnchanged, Reason: "no location on a changed line"}
	want := []*finding.Suppression{nil, nil, un, un, nil, un, nil, un}
	if d := cmp.Diff(want, suppressions(rep)); d != "" {
		t.Errorf("suppressions (-want +got):\n%s", d)
	}
}

func TestLineSet(t *testing.T) {
	var s LineSet
	s.Add(10, 12)
	s.Add(1, 1)
	s.Add(14, 15)
	s.Add(13, 13) // joins 10-12 and 14-15
	s.Add(3, 2)   // empty
	s.Add(-5, 0)  // clipped to nothing
	s.Add(20, 20)
	s.Add(19, 25)
	if d := cmp.Diff([][2]int{{1, 1}, {10, 15}, {19, 25}}, s.Spans()); d != "" {
		t.Errorf("spans (-want +got):\n%s", d)
	}
	for _, tc := range []struct {
		a, b int
		want bool
	}{{1, 1, true}, {2, 9, false}, {2, 10, true}, {16, 18, false}, {15, 16, true}, {26, 30, false}, {25, 25, true}} {
		if got := s.Overlaps(tc.a, tc.b); got != tc.want {
			t.Errorf("Overlaps(%d, %d) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestFileChanges(t *testing.T) {
	c := FileChanges([]string{"./main.tf", "modules//a/../b/x.tf", `envs\prod\main.tf`, ".", ""})
	want := map[string]*LineSet{"main.tf": nil, "modules/b/x.tf": nil, "envs/prod/main.tf": nil}
	if d := cmp.Diff(want, c.Files); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestOrder checks that the first reason in the documented order wins and
// that a reason further down does not hide an ignore or exception from the
// unmatched check.
func TestOrder(t *testing.T) {
	f := sgFinding()
	f.Severity = finding.Low
	ig := ignore("main.tf", 7, 6, "PCS-AWS-001")
	ex := []Exception{{Rule: "PCS-AWS-001", Resource: "*", Reason: "r", Owner: "o", Expires: "2027-01-01", Range: at("ex.yaml", 3, 5)}}
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, newReport(f)); err != nil {
		t.Fatal(err)
	}
	base, err := ReadBaseline("b.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	all := Options{Now: clock, Exclude: []string{"main.tf"}, Inline: true, Exceptions: ex, Baseline: base,
		Changed: FileChanges([]string{"other.tf"}), Threshold: finding.High}
	steps := []struct {
		kind string
		drop func(*Options, *finding.Report)
	}{
		{finding.SuppressedExcluded, func(o *Options, _ *finding.Report) { o.Exclude = nil }},
		{finding.SuppressedInline, func(_ *Options, r *finding.Report) { r.Ignores = nil }},
		{finding.SuppressedException, func(o *Options, _ *finding.Report) { o.Exceptions = nil }},
		{finding.SuppressedBaseline, func(o *Options, _ *finding.Report) { o.Baseline = nil }},
		{finding.SuppressedUnchanged, func(o *Options, _ *finding.Report) { o.Changed = nil }},
		{finding.SuppressedThreshold, func(o *Options, _ *finding.Report) { o.Threshold = "" }},
	}
	opts := all
	rep := newReport(f)
	rep.Ignores = []graph.Ignore{ig}
	for _, step := range steps {
		diags := Apply(rep, opts)
		if len(diags) != 0 {
			t.Errorf("before dropping %s: diagnostics %v", step.kind, diags)
		}
		if s := rep.Findings[0].Suppressed; s == nil || s.Kind != step.kind {
			t.Fatalf("got %+v, want kind %s", s, step.kind)
		}
		step.drop(&opts, rep)
	}
	Apply(rep, opts)
	if s := rep.Findings[0].Suppressed; s != nil {
		t.Errorf("with every stage off: %+v, want nil", s)
	}
}

// TestDeterministic applies the same options to permutations of a report's
// findings: every finding gets the same suppression and the diagnostics are
// the same; applying again changes nothing.
func TestDeterministic(t *testing.T) {
	var fs []finding.Finding
	for i, file := range []string{"main.tf", "legacy/a.tf", "modules/bucket/main.tf"} {
		for line := 1; line <= 12; line++ {
			f := sgFinding()
			f.RuleID = testRules[(line+i)%3].ID
			f.Severity = finding.Severities[line%4]
			f.Resource = "aws_security_group.r" + string(rune('a'+line%5))
			f.Location.Range = at(file, line, 1)
			f.Blocks = []graph.Range{at(file, 1, 1)}
			if i == 2 && line > 10 {
				f.Blocks = append(f.Blocks, at("main.tf", 10, 1)) // made by the module block on main.tf:10
			}
			f.Key = f.Resource + string(rune('a'+line))
			fs = append(fs, f)
		}
	}
	ignores := []graph.Ignore{
		ignore("main.tf", 10, 9, "*"),
		ignore("main.tf", 4, 3, "PCS-AWS-002"),
		ignore("main.tf", 4, 4, "PCS-AWS-002"), // two ignores on one line: the first in the file wins
		ignore("legacy/a.tf", 2, 2, "PCS-AWS-003"),
		ignore("legacy/a.tf", 30, 29, "PCS-AWS-001"),
	}
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, newReport(fs[5:9]...)); err != nil {
		t.Fatal(err)
	}
	base, err := ReadBaseline("b.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	changed := &Changes{Files: map[string]*LineSet{"modules/bucket/main.tf": {}}}
	changed.Files["modules/bucket/main.tf"].Add(3, 6)
	opts := Options{Now: clock, Inline: true, Baseline: base, Changed: changed, Threshold: finding.Medium,
		Exceptions: []Exception{
			{Rule: "*", Path: "legacy/*", Resource: "*.rb", Reason: "r1", Owner: "o", Expires: "2027-01-01", Range: at("ex.yaml", 3, 5)},
			{Rule: "PCS-AWS-001", Resource: "*", Reason: "r2", Owner: "o", Expires: "2027-01-01", Range: at("ex.yaml", 9, 5)},
			{Rule: "PCS-AWS-001", Resource: "nothing", Reason: "r3", Owner: "o", Expires: "2027-01-01", Range: at("ex.yaml", 15, 5)},
		}}
	result := func(rep *finding.Report) map[string]*finding.Suppression {
		out := map[string]*finding.Suppression{}
		for _, f := range rep.Findings {
			out[f.Location.Range.String()+" "+f.RuleID] = f.Suppressed
		}
		return out
	}
	rep := newReport(append([]finding.Finding(nil), fs...)...)
	rep.Ignores = ignores
	wantDiags := Apply(rep, opts)
	want := result(rep)
	kinds := map[string]int{}
	for _, s := range want {
		if s != nil {
			kinds[s.Kind]++
		}
	}
	// The fixture must exercise every kind but excluded, and leave some open.
	for _, k := range []string{finding.SuppressedInline, finding.SuppressedException, finding.SuppressedBaseline, finding.SuppressedUnchanged} {
		if kinds[k] == 0 {
			t.Errorf("no finding suppressed as %s: %v", k, kinds)
		}
	}
	if len(wantDiags) == 0 {
		t.Errorf("no diagnostics: the fixture should hold an unmatched ignore and exception")
	}
	again := Apply(rep, opts)
	if d := cmp.Diff(want, result(rep)); d != "" {
		t.Errorf("applied twice (-once +twice):\n%s", d)
	}
	if d := cmp.Diff(wantDiags, again); d != "" {
		t.Errorf("diagnostics applied twice (-once +twice):\n%s", d)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20 {
		perm := append([]finding.Finding(nil), fs...)
		r.Shuffle(len(perm), func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
		rep := newReport(perm...)
		rep.Ignores = append([]graph.Ignore(nil), ignores...)
		r.Shuffle(len(rep.Ignores), func(a, b int) { rep.Ignores[a], rep.Ignores[b] = rep.Ignores[b], rep.Ignores[a] })
		diags := Apply(rep, opts)
		if d := cmp.Diff(want, result(rep)); d != "" {
			t.Fatalf("permutation %d (-want +got):\n%s", i, d)
		}
		if d := cmp.Diff(wantDiags, diags); d != "" {
			t.Fatalf("permutation %d diagnostics (-want +got):\n%s", i, d)
		}
	}
}

// FuzzAddrMatch holds the fast star-only matcher to the general one.
func FuzzAddrMatch(f *testing.F) {
	f.Add("module.*.aws_sg.*", `module.a.aws_sg.b["k"]`)
	f.Add("a*a", "a")
	f.Add("*x*x*", "xyx")
	f.Fuzz(func(t *testing.T, pattern, addr string) {
		if strings.Contains(pattern, "?") {
			return
		}
		if got, want := addrMatch(pattern, addr), runeMatch(pattern, addr); got != want && utf8.ValidString(pattern) && utf8.ValidString(addr) {
			t.Errorf("addrMatch(%q, %q) = %v, runeMatch %v", pattern, addr, got, want)
		}
	})
}

package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/internal/golden"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report/reporttest"
)

// edgeReport holds what the text writer must survive: a very long line,
// control characters from a hostile file and policy, a range past the end
// of its line, an empty range, a range without a column, a tab inside the
// marked part, a rule that is not loaded, a multi-paragraph list
// remediation, a multi-line diagnostic detail and no rules URI.
func edgeReport() *finding.Report {
	long := `{"Resources":{"Bucket":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"data","AccessControl":"PublicRead","Tags":[` +
		strings.Repeat(`{"Key":"k","Value":"v"},`, 8) + `{"Key":"last","Value":"v"}]}}}}`
	ac := strings.Index(long, `"PublicRead"`)
	hostile := "name = \"x\x1b[2J\u202eevil\"\n\tval\tue = 1\nlast = true"
	return &finding.Report{
		Tool: finding.Tool{Name: "portcullis", Version: "dev"},
		Rules: []finding.Rule{{
			ID: "PCL-E-001", Name: "edge", Title: "Edge\x1b[31m case", Severity: finding.High,
			Remediation: "Do all of:\n- first\n- second\n\nThen more.",
		}},
		Findings: []finding.Finding{
			{RuleID: "PCL-E-001", Severity: finding.High, Message: "Public ACL.",
				Location: finding.Location{Range: graph.Range{File: "min.json",
					Start: graph.Pos{Line: 1, Column: ac + 1}, End: graph.Pos{Line: 1, Column: ac + 13}}}},
			{RuleID: "PCL-E-001", Severity: finding.High, Message: "Escape\x1b]0;pwned\x07 in message\nsecond line",
				Resource: "r.x\x1b[0m", Location: finding.Location{Range: graph.Range{File: "hostile.tf",
					Start: graph.Pos{Line: 1, Column: 8}, End: graph.Pos{Line: 1, Column: 20}}}},
			{RuleID: "PCL-E-001", Severity: finding.Low, Message: "Tab inside the mark.",
				Location: finding.Location{Range: graph.Range{File: "hostile.tf",
					Start: graph.Pos{Line: 2, Column: 2}, End: graph.Pos{Line: 2, Column: 10}}}},
			{RuleID: "PCL-E-001", Severity: finding.Low, Message: "Past the end.",
				Location: finding.Location{Range: graph.Range{File: "hostile.tf",
					Start: graph.Pos{Line: 3, Column: 40}, End: graph.Pos{Line: 3, Column: 41}}}},
			{RuleID: "PCL-E-001", Severity: finding.Low, Message: "Empty range.",
				Location: finding.Location{Range: graph.Range{File: "hostile.tf",
					Start: graph.Pos{Line: 3, Column: 6}, End: graph.Pos{Line: 3, Column: 6}}}},
			{RuleID: "PCL-E-001", Severity: finding.Medium, Message: "No column.",
				Location: finding.Location{Range: graph.Range{File: "hostile.tf", Start: graph.Pos{Line: 2}}}},
			{RuleID: "PCL-E-001", Severity: finding.Medium, Message: "Line past the end of the file.",
				Location: finding.Location{Range: graph.Range{File: "hostile.tf", Start: graph.Pos{Line: 9, Column: 1}}}},
			{RuleID: "PCL-Z-404", Severity: "bogus", Message: "Rule not loaded, no location."},
		},
		Diagnostics: []graph.Diagnostic{
			{Severity: graph.SeverityError, Summary: "Invalid JSON", Detail: "line one\nline two",
				Range: graph.Range{File: "bad.json", Start: graph.Pos{Line: 3}}},
		},
		Sources: map[string][]byte{
			"min.json":   []byte(long),
			"hostile.tf": []byte(hostile),
		},
		Resources: 1,
	}
}

func text(t *testing.T, r *finding.Report, color bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{Color: color}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jsonOut(t *testing.T, r *finding.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var cases = []struct {
	name   string
	report func() *finding.Report
}{
	{"report", reporttest.Report},
	{"triaged", reporttest.Triaged},
	{"empty", reporttest.Empty},
	{"edge", edgeReport},
}

func TestGolden(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			golden.Check(t, "testdata/text_"+tc.name+".golden", text(t, tc.report(), false))
			golden.Check(t, "testdata/text_"+tc.name+"_color.golden", text(t, tc.report(), true))
			golden.Check(t, "testdata/json_"+tc.name+".golden", jsonOut(t, tc.report()))
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.report()
			for name, write := range map[string]func(*finding.Report) []byte{
				"text":  func(r *finding.Report) []byte { return text(t, r, false) },
				"color": func(r *finding.Report) []byte { return text(t, r, true) },
				"json":  func(r *finding.Report) []byte { return jsonOut(t, r) },
			} {
				first, second := write(r), write(r)
				if !bytes.Equal(first, second) {
					t.Errorf("%s: two writes of the same report differ", name)
				}
				shuffled := tc.report()
				reverse(shuffled.Findings)
				reverse(shuffled.Diagnostics)
				reverse(shuffled.Rules)
				if got := write(shuffled); !bytes.Equal(first, got) {
					t.Errorf("%s: output depends on the order of the report's slices", name)
				}
				if !bytes.HasSuffix(first, []byte("\n")) {
					t.Errorf("%s: no trailing newline", name)
				}
			}
		})
	}
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestColor(t *testing.T) {
	for _, tc := range cases {
		plain, color := text(t, tc.report(), false), text(t, tc.report(), true)
		if bytes.ContainsRune(plain, '\x1b') {
			t.Errorf("%s: escape character in output without colour", tc.name)
		}
		if got := ansi.ReplaceAll(color, nil); !bytes.Equal(got, plain) {
			t.Errorf("%s: coloured output is not the plain output plus SGR codes:\n%s", tc.name, cmp.Diff(string(plain), string(got)))
		}
	}
	if color := text(t, reporttest.Report(), true); !bytes.Contains(color, []byte("\x1b[1;31mcritical:\x1b[0m")) {
		t.Error("critical severity not coloured")
	}
}

func TestHostileTextIsNeutralised(t *testing.T) {
	out := text(t, edgeReport(), false)
	for _, bad := range []string{"\x1b", "\x07", "\u202e"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("output contains %q", bad)
		}
	}
}

func TestTextFinding(t *testing.T) {
	out := string(text(t, reporttest.Report(), false))
	for _, want := range []string{
		"main.tf:9:19: critical: PCL-AWS-001 Security group allows ingress from the internet\n" +
			"  Security group \"aws_security_group.web\" allows ingress from 0.0.0.0/0 on port 22\n" +
			"  resource aws_security_group.web, attribute ingress.0.cidr_blocks\n" +
			"  9 |     cidr_blocks = [\"0.0.0.0/0\"]\n" +
			"    |                   ^^^^^^^^^^^^^\n" +
			"  value from the default of var.cidr (variables.tf:2:13)\n" +
			"  value passed as argument cidr of module.net\n" +
			"  Remediation: Restrict `cidr_blocks` to the networks that need access, or put\n" +
			"    the service behind a load balancer.\n" +
			"  See https://github.com/portcullis-iac/portcullis/blob/main/docs/rules/PCL-AWS-001.md\n",
		// A tab before the range, and a range over several lines.
		"  14 |     bucket = \"logs\"\n     |     ^^^^^^^^^^^^^^^ (continues to line 18)\n",
		// Columns are code points; 日本 takes two cells each.
		"  16 |     Owner = \"Zoë 日本 team\"\n     |             ^^^^^^^^^^^^^^^\n",
		// CRLF source.
		"  2 |   Queue:\n    |   ^^^^^\n",
		"warning: Module not installed: Run \"terraform init\" to install module \"net\"; its resources were not scanned.\n",
		"broken.tf:1:1: error: Unsupported block type: Blocks of type \"resourc\" are not expected here.\n",
		"\n6 findings (1 critical, 1 high, 3 medium, 1 low) in 12 resources, 2 diagnostics (1 error, 1 warning)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks:\n%s\n--- output:\n%s", want, out)
		}
	}
	if strings.Contains(out, "stack/other.yaml:2:3: medium: PCL-AWS-005 SQS queue is not encrypted\n  Queue is not encrypted.\n  resource Queue\n  2 |") {
		t.Error("quoted a line of a file that is not in Sources")
	}
}

func TestSummaryLine(t *testing.T) {
	f := func(sev finding.Severity) finding.Finding { return finding.Finding{RuleID: "R", Severity: sev} }
	tests := []struct {
		name string
		r    finding.Report
		want string
	}{
		{"nothing", finding.Report{}, "No findings in 0 resources, 0 diagnostics\n"},
		{"one", finding.Report{Findings: []finding.Finding{f(finding.High)}, Resources: 1},
			"1 finding (1 high) in 1 resource, 0 diagnostics\n"},
		{"several", finding.Report{
			Findings:    []finding.Finding{f(finding.Critical), f(finding.High), f(finding.High), f("odd")},
			Diagnostics: []graph.Diagnostic{{Severity: graph.SeverityWarning, Summary: "w"}},
			Resources:   12,
		}, "4 findings (1 critical, 2 high, 1 other) in 12 resources, 1 diagnostic (1 warning)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := string(text(t, &tc.r, false))
			lines := strings.SplitAfter(out, "\n")
			if got := lines[len(lines)-2]; got != tc.want {
				t.Errorf("summary %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMarkLine(t *testing.T) {
	long := strings.Repeat("a", 200) + "TARGET" + strings.Repeat("b", 200)
	tests := []struct {
		name       string
		text       string
		start, end int
		shown      string
		carets     string // the caret line: pad spaces then carets
	}{
		{"ascii", "abc def", 5, 8, "abc def", "    ^^^"},
		{"to end of line", "abc def", 2, -1, "abc def", " ^^^^^^"},
		{"leading tab", "\tx = 1", 2, 3, "    x = 1", "    ^"},
		{"tab inside mark", "a\tb", 1, 4, "a   b", "^^^^^"},
		{"tab after text", "ab\tc", 4, 5, "ab  c", "    ^"},
		{"wide characters", "k = \"日本\"", 5, 9, "k = \"日本\"", "    ^^^^^^"},
		{"combining mark", "e\u0301x", 3, 4, "e\u0301x", " ^"},
		{"empty range", "abc", 2, 2, "abc", " ^"},
		{"past the end", "abc", 9, 10, "abc", "   ^"},
		{"empty line", "", 1, -1, "", "^"},
		{"control characters", "a\x1bb", 2, 3, "a\ufffdb", " ^"},
		{"long line cut", long, 201, 207, "..." + strings.Repeat("a", 30) + "TARGET" + strings.Repeat("b", 84) + "...",
			strings.Repeat(" ", 33) + "^^^^^^"},
		{"long line near the end", long, 400, -1, "..." + strings.Repeat("b", 120), strings.Repeat(" ", 116) + "^^^^^^^"},
		{"long mark clipped", long, 1, -1, strings.Repeat("a", 120) + "...", strings.Repeat("^", 120)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			shown, pad, n := markLine(tc.text, tc.start, tc.end)
			got := strings.Repeat(" ", pad) + strings.Repeat("^", n)
			if shown != tc.shown || got != tc.carets {
				t.Errorf("markLine(%q, %d, %d) =\n%q\n%q\nwant\n%q\n%q", tc.text, tc.start, tc.end, shown, got, tc.shown, tc.carets)
			}
		})
	}
}

func TestSourceLine(t *testing.T) {
	src := newSourceLines([]byte("one\r\ntwo\n\nfour"))
	for n, want := range map[int]string{1: "one", 2: "two", 3: "", 4: "four"} {
		if got, ok := src.line(n); !ok || got != want {
			t.Errorf("line %d = %q, %v; want %q", n, got, ok, want)
		}
	}
	for _, n := range []int{0, 5} {
		if got, ok := src.line(n); ok {
			t.Errorf("line %d of a 4-line file = %q", n, got)
		}
	}
	if _, ok := newSourceLines([]byte("a\n")).line(2); ok {
		t.Error("the empty text after the final newline is not a line")
	}
	if got, ok := newSourceLines([]byte("a\n\n")).line(2); !ok || got != "" {
		t.Errorf("an empty last line = %q, %v", got, ok)
	}
	if got, ok := newSourceLines(nil).line(1); !ok || got != "" {
		t.Errorf("line 1 of an empty file = %q, %v; want an empty line", got, ok)
	}
}

func TestFirstParagraph(t *testing.T) {
	for in, want := range map[string]string{
		"":                                   "",
		"One line.":                          "One line.",
		"\n\nFirst\nstill first.\n\nSecond.": "First\nstill first.",
		"A\r\n\r\nB":                         "A",
	} {
		if got := firstParagraph(in); got != want {
			t.Errorf("firstParagraph(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJSONShape(t *testing.T) {
	out := jsonOut(t, reporttest.Report())
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	var doc JSONReport
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != 1 || doc.Tool != (JSONTool{Name: "portcullis", Version: "1.2.3"}) {
		t.Errorf("header %d %+v", doc.SchemaVersion, doc.Tool)
	}
	want := JSONSummary{Total: 6, BySeverity: JSONBySeverity{Critical: 1, High: 1, Medium: 3, Low: 1}, Resources: 12, Diagnostics: 2}
	if doc.Summary != want {
		t.Errorf("summary %+v, want %+v", doc.Summary, want)
	}
	f := doc.Findings[0]
	wantF := JSONFinding{
		RuleID: "PCL-AWS-001", RuleName: "sg-open-ingress", Title: "Security group allows ingress from the internet",
		Severity: "critical", Message: `Security group "aws_security_group.web" allows ingress from 0.0.0.0/0 on port 22`,
		Resource: "aws_security_group.web", ResourceType: "aws_security_group", Attribute: "ingress.0.cidr_blocks", Root: ".",
		Location: &JSONLocation{File: "main.tf", StartLine: 9, StartColumn: 19, EndLine: 9, EndColumn: 32},
		Related: []JSONRelated{
			{Description: "value from the default of var.cidr", Location: &JSONLocation{File: "variables.tf", StartLine: 2, StartColumn: 13, EndLine: 2, EndColumn: 24}},
			{Description: "value passed as argument cidr of module.net"},
		},
		Fingerprint: sha(".|aws_security_group.web|ingress.0.cidr_blocks", "PCL-AWS-001"),
	}
	if diff := cmp.Diff(wantF, f); diff != "" {
		t.Errorf("first finding (-want +got):\n%s", diff)
	}
	// A finding without an end position ends where it starts.
	if l := doc.Findings[4].Location; l.File != "stack/other.yaml" || l.EndLine != 2 || l.EndColumn != 3 {
		t.Errorf("open-ended location %+v", l)
	}
	if d := doc.Diagnostics[0]; d.Location != nil || d.Severity != "warning" {
		t.Errorf("diagnostic without range %+v", d)
	}
	if d := doc.Diagnostics[1]; d.Location == nil || d.Location.File != "broken.tf" || d.Location.EndColumn != 8 {
		t.Errorf("diagnostic with range %+v", d)
	}
	// Key order is the documented one.
	keys := regexp.MustCompile(`(?m)^  "([a-z_]+)"`).FindAllStringSubmatch(string(out), -1)
	var got []string
	for _, k := range keys {
		got = append(got, k[1])
	}
	if diff := cmp.Diff([]string{"schema_version", "tool", "findings", "diagnostics", "summary", "controls"}, got); diff != "" {
		t.Errorf("top-level keys (-want +got):\n%s", diff)
	}
}

func sha(rest, rule string) string {
	sum := sha256.Sum256([]byte(rule + "|" + rest))
	return hex.EncodeToString(sum[:])
}

func TestJSONEmptyArrays(t *testing.T) {
	out := string(jsonOut(t, reporttest.Empty()))
	for _, want := range []string{`"findings": []`, `"diagnostics": []`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	out = string(jsonOut(t, reporttest.Report()))
	if strings.Contains(out, `"related": null`) || !strings.Contains(out, `"related": []`) {
		t.Error("a finding without related locations must have \"related\": []")
	}
}

func TestJSONNoHTMLEscaping(t *testing.T) {
	r := &finding.Report{Findings: []finding.Finding{{RuleID: "R", Message: "a -> b && <c>"}}}
	if out := jsonOut(t, r); !bytes.Contains(out, []byte(`"a -> b && <c>"`)) {
		t.Errorf("message escaped: %s", out)
	}
}

func TestFingerprint(t *testing.T) {
	f := finding.Finding{RuleID: "R", Root: ".", Resource: "a.b", Attribute: "x",
		Location: finding.Location{Range: graph.Range{File: "m.tf", Start: graph.Pos{Line: 3}}}}
	g := f
	g.Location.Range.Start.Line = 30
	g.Message = "reworded"
	if f.FingerprintHash() != g.FingerprintHash() || f.FingerprintHash() != sha(".|a.b|x", "R") {
		t.Error("fingerprint depends on lines or message, or is not sha256(Finding.Fingerprint())")
	}
}

func TestColorEnabledNotATerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, env := range []struct{ noColor, term string }{
		{"", "xterm-256color"}, {"1", "xterm-256color"}, {"", "dumb"},
	} {
		t.Setenv("NO_COLOR", env.noColor)
		t.Setenv("TERM", env.term)
		if ColorEnabled(f) {
			t.Errorf("ColorEnabled(regular file) with NO_COLOR=%q TERM=%q", env.noColor, env.term)
		}
	}
	if ColorEnabled(nil) {
		t.Error("ColorEnabled(nil)")
	}
}

func TestBrief(t *testing.T) {
	long := strings.Repeat("word ", 40) // 200 characters
	tests := []struct{ name, in, want string }{
		{"one sentence", "Set `x = true`.", "Set `x = true`."},
		{"two short sentences", "Set `x`. Then re-create it.", "Set `x`. Then re-create it."},
		{"reflowed", "Set\n  `x`.", "Set `x`."},
		{"over budget", long + "end. The second sentence does not fit and is dropped.", strings.TrimSpace(long) + " end."},
		{"first sentence always kept", long + long + "end. More.", strings.TrimSpace(long+long) + " end."},
		{"no split inside a version or e.g.", "Use TLS 1.2 or later, e.g. via `ssl_policy`. Done.", "Use TLS 1.2 or later, e.g. via `ssl_policy`. Done."},
		{"dangling colon dropped", "Do this. Then all of:", "Do this."},
		{"lone colon sentence kept", "Do all of:", "Do all of:"},
		{"sentence starting with code", "Remove it. `foo` is obsolete.", "Remove it. `foo` is obsolete."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := brief(tc.in); got != tc.want {
				t.Errorf("brief(%q) =\n%q\nwant\n%q", tc.in, got, tc.want)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		text        string
		first, rest int
		want        []string
	}{
		{"", 10, 10, []string{""}},
		{"a b c", 10, 10, []string{"a b c"}},
		{"aaa bbb ccc ddd", 7, 11, []string{"aaa bbb", "ccc ddd"}},
		{"aaa bbb ccc ddd", 3, 3, []string{"aaa", "bbb", "ccc", "ddd"}},
		{"see https://example.com/a/very/long/url now", 10, 10, []string{"see", "https://example.com/a/very/long/url", "now"}},
		{"日本 日本 日本", 10, 10, []string{"日本 日本", "日本"}},
	}
	for _, tc := range tests {
		if got := wrap(tc.text, tc.first, tc.rest); !cmp.Equal(got, tc.want) {
			t.Errorf("wrap(%q, %d, %d) = %q, want %q", tc.text, tc.first, tc.rest, got, tc.want)
		}
	}
}

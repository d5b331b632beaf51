package sarif

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	gosarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/portcullis-iac/portcullis/internal/golden"
	"github.com/portcullis-iac/portcullis/internal/sarifcheck"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report/reporttest"
)

// edgeReport exercises the fallbacks: a finding without a range (located
// at its root), a file without a line, an absolute path, a path that needs
// escaping, an inverted range, a rule missing from Rules, an unknown
// severity, and a tool without an information URI or rules URI.
func edgeReport() *finding.Report {
	return &finding.Report{
		Tool: finding.Tool{Name: "portcullis", Version: "v2.0.0-rc.1"},
		Rules: []finding.Rule{
			{ID: "PCL-T-001", Name: "PCL-T-001", Title: "Name equal to ID", Severity: finding.Medium, Controls: []string{"CC6.1", "CC6.1", "security"}},
		},
		Findings: []finding.Finding{
			{RuleID: "PCL-T-001", Severity: finding.Medium, Message: "Escaped path", Resource: "r.a",
				Location: finding.Location{Range: graph.Range{File: "dir with space/#ü.tf", Start: graph.Pos{Line: 3, Column: 5}, End: graph.Pos{Line: 2, Column: 1}}}},
			{RuleID: "PCL-T-001", Severity: finding.Medium, Message: "Absolute path!", Resource: "r.b",
				Location: finding.Location{Range: graph.Range{File: "/abs/main.tf", Start: graph.Pos{Line: 7}}}},
			{RuleID: "PCL-T-001", Severity: finding.Low, Message: "File only", Resource: "r.c",
				Location: finding.Location{Range: graph.Range{File: "./rel.tf"}}},
			{RuleID: "PCL-X-999", Severity: "unheard-of", Message: "No range, rule not loaded", Resource: "Queue",
				Root: "stack/q.yaml"},
			{RuleID: "PCL-T-001", Severity: finding.High, Message: "Related [link] text", Resource: "r.d",
				Location: finding.Location{
					Range: graph.Range{File: "a.tf", Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 4}},
					Related: []graph.Origin{
						{Description: `var.x["k"]`, Range: graph.Range{File: "vars.tf", Start: graph.Pos{Line: 2, Column: 3}, End: graph.Pos{Line: 2, Column: 9}}},
						{Description: "", Range: graph.Range{File: "terraform.tfvars", Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 9}}},
					},
				}},
		},
		Diagnostics: []graph.Diagnostic{
			{Severity: graph.SeverityError, Summary: "File too large.", Range: graph.Range{File: "huge.json"}},
			{Severity: "", Summary: "Cycle", Detail: "local.a refers to itself"},
		},
		Resources: 4,
	}
}

func write(t *testing.T, r *finding.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, r); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

var cases = []struct {
	name   string
	report func() *finding.Report
	opts   Options
}{
	{"report", reporttest.Report, Options{}},
	{"empty", reporttest.Empty, Options{}},
	{"edge", edgeReport, Options{}},
	{"split", splitReport, Options{Category: "infra/prod"}},
	{"suppressed", suppressedReport, Options{IncludeSuppressed: true}},
	{"scanwide", scanWideReport, Options{}},
}

// scanWideReport is a scan that read no file and stopped: its error
// diagnostic has no file to be shown at.
func scanWideReport() *finding.Report {
	return &finding.Report{
		Tool:        finding.Tool{Name: "portcullis", Version: "1.0.0"},
		Diagnostics: []graph.Diagnostic{{Severity: graph.SeverityError, Summary: "Scan stopped", Detail: "the memory limit (2 GiB) was reached"}},
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := writeWith(t, tc.report(), tc.opts)
			golden.Check(t, "testdata/"+tc.name+".sarif.golden", got)
		})
	}
}

// TestSchema checks every case against the SARIF 2.1.0 JSON schema that
// go-sarif embeds.
func TestSchema(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			log, err := gosarif.FromBytes(writeWith(t, tc.report(), tc.opts))
			if err != nil {
				t.Fatal(err)
			}
			if err := log.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	r := reporttest.Report()
	first, second := write(t, r), write(t, r)
	if !bytes.Equal(first, second) {
		t.Fatal("two writes of the same report differ")
	}
	if !bytes.HasSuffix(first, []byte("}\n")) {
		t.Error("output does not end with a newline")
	}

	// The input order does not matter, and Write leaves the report alone.
	shuffled := reporttest.Report()
	reverse(shuffled.Rules)
	reverse(shuffled.Findings)
	reverse(shuffled.Diagnostics)
	before := reporttest.Report()
	reverse(before.Rules)
	reverse(before.Findings)
	reverse(before.Diagnostics)
	if got := write(t, shuffled); !bytes.Equal(first, got) {
		t.Error("output depends on the order of the report's slices")
	}
	if diff := cmp.Diff(before, shuffled); diff != "" {
		t.Errorf("Write modified the report:\n%s", diff)
	}
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// log is the part of a SARIF log the assertions below read.
type log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		ColumnKind         string          `json:"columnKind"`
		OriginalURIBaseIDs json.RawMessage `json:"originalUriBaseIds"`
		Tool               struct {
			Driver struct {
				Name            string `json:"name"`
				SemanticVersion string `json:"semanticVersion"`
				InformationURI  string `json:"informationUri"`
				Rules           []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					Help struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties struct {
						Tags             []string `json:"tags"`
						Precision        string   `json:"precision"`
						SecuritySeverity string   `json:"security-severity"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations           []location        `json:"locations"`
			RelatedLocations    []location        `json:"relatedLocations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Properties          map[string]string `json:"properties"`
		} `json:"results"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
			Notifications       []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []location `json:"locations"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

type location struct {
	ID      *int `json:"id"`
	Message *struct {
		Text string `json:"text"`
	} `json:"message"`
	PhysicalLocation *struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region *jsonRegion `json:"region"`
	} `json:"physicalLocation"`
}

type jsonRegion struct {
	StartLine   int `json:"startLine,omitempty"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

func decode(t *testing.T, r *finding.Report) log {
	t.Helper()
	var l log
	if err := json.Unmarshal(write(t, r), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(l.Runs))
	}
	return l
}

func TestDriverListsEveryRule(t *testing.T) {
	r := reporttest.Report()
	l := decode(t, r)
	run := l.Runs[0]
	if l.Version != "2.1.0" || !strings.Contains(l.Schema, "sarif") {
		t.Errorf("version %q, schema %q", l.Version, l.Schema)
	}
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind %q", run.ColumnKind)
	}
	if run.OriginalURIBaseIDs != nil {
		t.Errorf("originalUriBaseIds written without a known absolute root: %s", run.OriginalURIBaseIDs)
	}
	d := run.Tool.Driver
	if d.Name != "portcullis" || d.SemanticVersion != "1.2.3" || d.InformationURI != r.Tool.InformationURI {
		t.Errorf("driver %q %q %q", d.Name, d.SemanticVersion, d.InformationURI)
	}
	// The rules that ran, the diagnostic rule, then PCL-AWS-002 at the
	// severity of its medium finding (the rule is low).
	var ids []string
	for _, rule := range d.Rules {
		ids = append(ids, rule.ID)
	}
	wantIDs := []string{"PCL-AWS-001", "PCL-AWS-002", "PCL-AWS-003", "PCL-AWS-004", "PCL-AWS-005", DiagnosticRuleID, "PCL-AWS-002/medium"}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Fatalf("rule ids (-want +got):\n%s", diff)
	}
	levels := map[finding.Severity]string{finding.Critical: "error", finding.High: "error", finding.Medium: "warning", finding.Low: "note"}
	for i, want := range r.Rules {
		got := d.Rules[i]
		if got.ID != want.ID || got.Name != want.Name || got.ShortDescription.Text != want.Title {
			t.Errorf("rule %d: %q %q %q", i, got.ID, got.Name, got.ShortDescription.Text)
		}
		if !strings.HasPrefix(got.FullDescription.Text, strings.TrimSuffix(want.Description, ".")) {
			t.Errorf("%s: fullDescription %q", want.ID, got.FullDescription.Text)
		}
		firstLine := strings.SplitN(want.Remediation, "\n", 2)[0]
		if !strings.Contains(got.Help.Text, firstLine) || !strings.Contains(got.Help.Markdown, firstLine) {
			t.Errorf("%s: help does not include the remediation", want.ID)
		}
		if wantURI := r.Tool.RulesURI + want.DocPath(); got.HelpURI != wantURI {
			t.Errorf("%s: helpUri %q, want %q", want.ID, got.HelpURI, wantURI)
		}
		if got.DefaultConfiguration.Level != levels[want.Severity] {
			t.Errorf("%s: level %q", want.ID, got.DefaultConfiguration.Level)
		}
		wantTags := append([]string{"security"}, want.Controls...)
		if diff := cmp.Diff(wantTags, got.Properties.Tags); diff != "" {
			t.Errorf("%s: tags (-want +got):\n%s", want.ID, diff)
		}
		wantPrecision := want.Precision
		if wantPrecision == "" {
			wantPrecision = "high"
		}
		if got.Properties.Precision != wantPrecision {
			t.Errorf("%s: precision %q, want %q", want.ID, got.Properties.Precision, wantPrecision)
		}
		if got.Properties.SecuritySeverity != want.Severity.SecurityScore() {
			t.Errorf("%s: security-severity %q", want.ID, got.Properties.SecuritySeverity)
		}
	}
}

func TestResults(t *testing.T) {
	r := reporttest.Report()
	run := decode(t, r).Runs[0]
	rules := run.Tool.Driver.Rules
	// The findings, then the one error diagnostic.
	if len(run.Results) != len(r.Findings)+1 {
		t.Fatalf("%d results, want %d", len(run.Results), len(r.Findings)+1)
	}
	levels := map[finding.Severity]string{finding.Critical: "error", finding.High: "error", finding.Medium: "warning", finding.Low: "note"}
	for i, f := range r.Findings {
		res := run.Results[i]
		wantID := f.RuleID
		if rule, _ := r.Rule(f.RuleID); rule.Severity != f.Severity {
			wantID = SplitRuleID(f.RuleID, f.Severity)
		}
		if res.RuleIndex == nil || rules[*res.RuleIndex].ID != wantID || res.RuleID != wantID {
			t.Errorf("result %d: ruleId %q ruleIndex %v", i, res.RuleID, res.RuleIndex)
		}
		if res.Level != levels[f.Severity] {
			t.Errorf("result %d: level %q for %s", i, res.Level, f.Severity)
		}
		if !strings.HasPrefix(res.Message.Text, strings.TrimSuffix(f.Message, ".")) {
			t.Errorf("result %d: message %q", i, res.Message.Text)
		}
		sum := sha256.Sum256([]byte(f.Fingerprint()))
		if got := res.PartialFingerprints[FingerprintKey]; got != hex.EncodeToString(sum[:]) {
			t.Errorf("result %d: fingerprint %q", i, got)
		}
		if res.Properties["resource"] != f.Resource || res.Properties["severity"] != string(f.Severity) {
			t.Errorf("result %d: properties %v", i, res.Properties)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("result %d: %d locations", i, len(res.Locations))
		}
		pl := res.Locations[0].PhysicalLocation
		rg := f.Location.Range
		if pl.ArtifactLocation.URI != rg.File || pl.ArtifactLocation.URIBaseID != SrcRoot {
			t.Errorf("result %d: artifact %+v", i, pl.ArtifactLocation)
		}
		want := jsonRegion{StartLine: rg.Start.Line, StartColumn: rg.Start.Column, EndLine: rg.End.Line, EndColumn: rg.End.Column}
		if rg.End.Line == 0 {
			want.EndLine, want.EndColumn = rg.Start.Line, rg.Start.Column
		}
		if diff := cmp.Diff(want, *pl.Region); diff != "" {
			t.Errorf("result %d: region (-want +got):\n%s", i, diff)
		}
	}
}

func TestNonASCIIColumnsAreCodePoints(t *testing.T) {
	r := reporttest.Report()
	run := decode(t, r).Runs[0]
	for i, f := range r.Findings {
		if f.Attribute != "tags.Owner" {
			continue
		}
		reg := run.Results[i].Locations[0].PhysicalLocation.Region
		line := strings.Split(reporttest.MainTF, "\n")[reg.StartLine-1]
		runes := []rune(line)
		if got := string(runes[reg.StartColumn-1 : reg.EndColumn-1]); got != `"Zoë 日本 team"` {
			t.Errorf("region selects %q", got)
		}
		return
	}
	t.Fatal("fixture has no tags.Owner finding")
}

func TestRelatedLocations(t *testing.T) {
	run := decode(t, reporttest.Report()).Runs[0]
	res := run.Results[0]
	if len(res.RelatedLocations) != 2 {
		t.Fatalf("%d related locations, want 2", len(res.RelatedLocations))
	}
	first, second := res.RelatedLocations[0], res.RelatedLocations[1]
	if first.ID == nil || *first.ID != 1 || first.Message.Text != "value from the default of var.cidr" ||
		first.PhysicalLocation.ArtifactLocation.URI != "variables.tf" ||
		*first.PhysicalLocation.Region != (jsonRegion{StartLine: 2, StartColumn: 13, EndLine: 2, EndColumn: 24}) {
		t.Errorf("first related location %+v", first)
	}
	if second.ID == nil || *second.ID != 2 || second.PhysicalLocation != nil || second.Message.Text != "value passed as argument cidr of module.net" {
		t.Errorf("second related location (no range) %+v", second)
	}
	if !strings.HasSuffix(res.Message.Text, " See [value from the default of var.cidr](1).") {
		t.Errorf("message does not link the located hop: %q", res.Message.Text)
	}
}

func TestFingerprintIgnoresLines(t *testing.T) {
	a := reporttest.Report()
	b := reporttest.Report()
	for i := range b.Findings {
		b.Findings[i].Location.Range.Start.Line += 10
		b.Findings[i].Location.Range.End.Line += 10
		b.Findings[i].Message += " Reworded."
	}
	ra, rb := decode(t, a).Runs[0].Results, decode(t, b).Runs[0].Results
	for i := range ra {
		if ra[i].PartialFingerprints[FingerprintKey] != rb[i].PartialFingerprints[FingerprintKey] {
			t.Errorf("result %d: fingerprint changed with line numbers", i)
		}
	}
	seen := map[string]bool{}
	for _, res := range ra {
		seen[res.PartialFingerprints[FingerprintKey]] = true
	}
	if len(seen) != len(ra) {
		t.Errorf("%d distinct fingerprints for %d distinct findings", len(seen), len(ra))
	}
}

func TestNotifications(t *testing.T) {
	r := reporttest.Report()
	run := decode(t, r).Runs[0]
	if len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful {
		t.Fatalf("invocations %+v", run.Invocations)
	}
	ns := run.Invocations[0].Notifications
	if len(ns) != len(r.Diagnostics) {
		t.Fatalf("%d notifications, want %d", len(ns), len(r.Diagnostics))
	}
	for i, d := range r.Diagnostics {
		n := ns[i]
		if n.Level != string(d.Severity) {
			t.Errorf("notification %d: level %q", i, n.Level)
		}
		if !strings.HasPrefix(n.Message.Text, d.Summary) || !strings.Contains(n.Message.Text, strings.TrimSuffix(d.Detail, ".")) {
			t.Errorf("notification %d: message %q", i, n.Message.Text)
		}
		if d.Range.IsZero() != (len(n.Locations) == 0) {
			t.Errorf("notification %d: %d locations for range %v", i, len(n.Locations), d.Range)
		}
	}
}

func TestEmptyReportHasResultsArray(t *testing.T) {
	out := write(t, reporttest.Empty())
	var raw struct {
		Runs []map[string]json.RawMessage `json:"runs"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	if got := string(raw.Runs[0]["results"]); got != "[]" {
		t.Errorf("results = %s, want [] (a scan that found nothing)", got)
	}
	if l := decode(t, reporttest.Empty()); len(l.Runs[0].Tool.Driver.Rules) != len(reporttest.Rules())+1 {
		t.Error("rules missing from an empty report")
	}
}

func TestEdgeCases(t *testing.T) {
	run := decode(t, edgeReport()).Runs[0]
	d := run.Tool.Driver
	if d.InformationURI != DefaultInformationURI || d.SemanticVersion != "2.0.0-rc.1" {
		t.Errorf("driver %q %q", d.InformationURI, d.SemanticVersion)
	}
	if len(d.Rules) != 5 || d.Rules[1].ID != "PCL-X-999" || d.Rules[2].ID != DiagnosticRuleID ||
		d.Rules[3].ID != "PCL-T-001/high" || d.Rules[4].ID != "PCL-T-001/low" {
		t.Fatalf("rules %+v", d.Rules)
	}
	if d.Rules[0].Name != "" || d.Rules[0].HelpURI != "" {
		t.Errorf("rule name equal to id, or helpUri without RulesURI: %q %q", d.Rules[0].Name, d.Rules[0].HelpURI)
	}
	if diff := cmp.Diff([]string{"security", "CC6.1"}, d.Rules[0].Properties.Tags); diff != "" {
		t.Errorf("tags not deduplicated:\n%s", diff)
	}
	uris := map[string]string{}
	for _, res := range run.Results {
		if res.RuleID == DiagnosticRuleID {
			continue
		}
		if len(res.Locations) != 1 {
			t.Fatalf("%s: %d locations", res.Message.Text, len(res.Locations))
		}
		al := res.Locations[0].PhysicalLocation.ArtifactLocation
		uris[res.Properties["resource"]] = al.URIBaseID + " " + al.URI
		if reg := res.Locations[0].PhysicalLocation.Region; reg == nil || reg.StartLine < 1 {
			t.Errorf("%s: no start line", res.Message.Text)
		}
		if res.RuleID == "PCL-X-999" && (res.Level != "warning" || *res.RuleIndex != 1) {
			t.Errorf("unknown rule: level %q index %d", res.Level, *res.RuleIndex)
		}
	}
	want := map[string]string{
		"r.a":   "%SRCROOT% dir%20with%20space/%23%C3%BC.tf",
		"r.b":   " file:///abs/main.tf",
		"r.c":   "%SRCROOT% rel.tf",
		"Queue": "%SRCROOT% stack/q.yaml",
		"r.d":   "%SRCROOT% a.tf",
	}
	if diff := cmp.Diff(want, uris); diff != "" {
		t.Errorf("artifact locations (-want +got):\n%s", diff)
	}
}

func TestLevel(t *testing.T) {
	for sev, want := range map[finding.Severity]string{
		finding.Critical: "error", finding.High: "error", finding.Medium: "warning", finding.Low: "note", "": "warning",
	} {
		if got := Level(sev); got != want {
			t.Errorf("Level(%q) = %q, want %q", sev, got, want)
		}
	}
}

func TestSemver(t *testing.T) {
	for in, want := range map[string]string{
		"1.2.3": "1.2.3", "v1.2.3": "1.2.3", "v1.2.3-rc.1+g1a2b": "1.2.3-rc.1+g1a2b",
		"dev": "", "1.2": "", "v": "", "1.x.3": "", "": "",
	} {
		if got := semver(in); got != want {
			t.Errorf("semver(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCompactKeepsMeaning(t *testing.T) {
	in := `{"a":-1,"index":-1,"id":"x","rank":-1.5,"list":[],"results":[],"properties":{},` +
		`"o":{"properties":{"k":"<&>"},"byteOffset":-1,"byteLength":-1,"n":[{"id":-1,"v":[]}]}}`
	got, err := compact([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatal(err)
	}
	want := `{"a":-1,"id":"x","rank":-1.5,"results":[],"o":{"properties":{"k":"<&>"},"byteLength":-1,"n":[{}]}}`
	if err := json.Unmarshal([]byte(want), &b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b, a); diff != "" {
		t.Errorf("compact (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(got), `"<&>"`) {
		t.Errorf("HTML characters escaped: %s", got)
	}
	if !strings.HasPrefix(string(got), "{\n  \"a\": -1,\n  \"id\"") {
		t.Errorf("key order or indentation lost: %s", got)
	}
}

// TestMultitool runs Microsoft's SARIF validator over every case when
// SARIF_MULTITOOL names its executable (npm install
// @microsoft/sarif-multitool; the binary is
// node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool), and fails
// on any error or warning for the GitHub and SARIF rule sets.
func TestMultitool(t *testing.T) {
	tool := os.Getenv("SARIF_MULTITOOL")
	if tool == "" {
		t.Skip("SARIF_MULTITOOL not set")
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := filepath.Join(dir, tc.name+".sarif")
			if err := os.WriteFile(in, writeWith(t, tc.report(), tc.opts), 0o644); err != nil {
				t.Fatal(err)
			}
			problems, err := sarifcheck.Validate(tool, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Error(p)
			}
		})
	}
}

func TestTagsAreCapped(t *testing.T) {
	rule := finding.Rule{ID: "PCL-T-001", Controls: []string{"SOC2:CC6.1", " ", "SOC2:CC6.1"}}
	for i := range 30 {
		rule.Controls = append(rule.Controls, fmt.Sprintf("CIS-X:%d", i))
	}
	got := tags(rule)
	want := []string{"security", "SOC2:CC6.1"}
	for i := range MaxTags - 2 {
		want = append(want, fmt.Sprintf("CIS-X:%d", i))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}

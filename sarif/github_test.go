package sarif

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report/reporttest"
)

// ghLog is the part of a log the GitHub-specific tests read.
type ghLog struct {
	Runs []struct {
		AutomationDetails *struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Properties map[string]any `json:"properties"`
		Tool       struct {
			Driver struct {
				Rules []ghRule `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []ghResult `json:"results"`
	} `json:"runs"`
}

type ghRule struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	HelpURI          string `json:"helpUri"`
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
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
	Properties map[string]any `json:"properties"`
}

type ghResult struct {
	RuleID              string                `json:"ruleId"`
	RuleIndex           int                   `json:"ruleIndex"`
	Level               string                `json:"level"`
	Message             struct{ Text string } `json:"message"`
	Locations           []location            `json:"locations"`
	PartialFingerprints map[string]string     `json:"partialFingerprints"`
	Properties          map[string]string     `json:"properties"`
	Suppressions        []json.RawMessage     `json:"suppressions"`
}

func writeWith(t *testing.T, r *finding.Report, opt Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteWith(&b, r, opt); err != nil {
		t.Fatalf("WriteWith: %v", err)
	}
	return b.Bytes()
}

func decodeGH(t *testing.T, r *finding.Report, opt Options) ghLog {
	t.Helper()
	var l ghLog
	if err := json.Unmarshal(writeWith(t, r, opt), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Runs) != 1 {
		t.Fatalf("%d runs", len(l.Runs))
	}
	return l
}

// splitReport has one rule (critical) with findings at three severities,
// two of them at high, and a user rule with its own page.
func splitReport() *finding.Report {
	at := func(line int) finding.Location {
		return finding.Location{Range: graph.Range{File: "main.tf", Start: graph.Pos{Line: line, Column: 3}, End: graph.Pos{Line: line, Column: 9}}}
	}
	r := &finding.Report{
		Tool: finding.Tool{Name: "portcullis", Version: "1.0.0", RulesURI: "https://example.com/p/blob/main/"},
		Rules: []finding.Rule{
			{ID: "ACME-001", Name: "acme-rule", Title: "Acme", Severity: finding.Low, HelpURI: "https://wiki.example.com/ACME-001"},
			{ID: "PCS-AWS-001", Name: "ingress-open-to-internet", Title: "Open ingress", Description: "Ports open to the internet.",
				Severity: finding.Critical, Builtin: true, Controls: []string{"SOC2:CC6.6"}},
		},
		Findings: []finding.Finding{
			{RuleID: "PCS-AWS-001", Severity: finding.Critical, Message: "SSH open", Resource: "aws_security_group.a", Key: "22", Location: at(1)},
			{RuleID: "PCS-AWS-001", Severity: finding.High, Message: "HTTPS open", Resource: "aws_security_group.a", Key: "443", Location: at(2)},
			{RuleID: "PCS-AWS-001", Severity: finding.Medium, Message: "Something open", Resource: "aws_security_group.b", Location: at(3)},
			{RuleID: "PCS-AWS-001", Severity: finding.High, Message: "HTTP open", Resource: "aws_security_group.c", Key: "80", Location: at(4)},
			{RuleID: "ACME-001", Severity: finding.High, Message: "Acme at high", Resource: "aws_s3_bucket.x", Location: at(5)},
		},
	}
	r.Sort()
	return r
}

func TestSeveritySplit(t *testing.T) {
	r := splitReport()
	run := decodeGH(t, r, Options{}).Runs[0]
	rules := run.Tool.Driver.Rules

	type desc struct{ ID, Name, Level, Score, HelpURI string }
	var got []desc
	for _, d := range rules {
		score, _ := d.Properties["security-severity"].(string)
		got = append(got, desc{d.ID, d.Name, d.DefaultConfiguration.Level, score, d.HelpURI})
	}
	page := "https://example.com/p/blob/main/docs/rules/PCS-AWS-001.md"
	want := []desc{
		{"ACME-001", "acme-rule", "note", "3.0", "https://wiki.example.com/ACME-001"},
		{"PCS-AWS-001", "ingress-open-to-internet", "error", "9.5", page},
		{DiagnosticRuleID, DiagnosticRuleName, "error", "", "https://example.com/p/blob/main/docs/github.md#incomplete-scans"},
		{"ACME-001/high", "acme-rule", "error", "8.0", "https://wiki.example.com/ACME-001"},
		{"PCS-AWS-001/high", "ingress-open-to-internet", "error", "8.0", page},
		{"PCS-AWS-001/medium", "ingress-open-to-internet", "warning", "5.5", page},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("descriptors (-want +got):\n%s", diff)
	}
	// A split descriptor repeats the rule's text.
	if rules[4].Help != rules[1].Help || rules[4].FullDescription != rules[1].FullDescription || rules[4].ShortDescription != rules[1].ShortDescription {
		t.Errorf("split descriptor text differs from the rule's")
	}

	type res struct {
		RuleID      string
		RuleIndex   int
		Level       string
		Fingerprint string
	}
	var gotRes []res
	for _, x := range run.Results {
		gotRes = append(gotRes, res{x.RuleID, x.RuleIndex, x.Level, x.PartialFingerprints[FingerprintKey]})
	}
	fp := func(i int) string { return r.Findings[i].FingerprintHash() }
	wantRes := []res{
		{"PCS-AWS-001", 1, "error", fp(0)},
		{"PCS-AWS-001/high", 4, "error", fp(1)},
		{"PCS-AWS-001/medium", 5, "warning", fp(2)},
		{"PCS-AWS-001/high", 4, "error", fp(3)},
		{"ACME-001/high", 3, "error", fp(4)},
	}
	// The report's canonical order: by file and line.
	for i, f := range r.Findings {
		if f.Location.Range.Start.Line != i+1 {
			t.Fatalf("fixture order changed: %v", r.Findings)
		}
	}
	if diff := cmp.Diff(wantRes, gotRes); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	// The fingerprint does not depend on the severity (alert identity is
	// kept when a finding's severity changes).
	f := r.Findings[1]
	f.Severity = finding.Critical
	if f.FingerprintHash() != fp(1) {
		t.Error("fingerprint depends on severity")
	}
}

func TestAutomationDetails(t *testing.T) {
	for _, tc := range [][2]string{
		{"", "portcullis/"},
		{"infra", "portcullis/infra/"},
		{" /infra/prod/ ", "portcullis/infra/prod/"},
		{"/", "portcullis/"},
	} {
		category, want := tc[0], tc[1]
		run := decodeGH(t, reporttest.Empty(), Options{Category: category}).Runs[0]
		if run.AutomationDetails == nil || run.AutomationDetails.ID != want {
			t.Errorf("category %q: automationDetails %+v, want id %q", category, run.AutomationDetails, want)
		}
		if got := AutomationID(category); got != want {
			t.Errorf("AutomationID(%q) = %q, want %q", category, got, want)
		}
	}
}

// suppressedReport has an inline-ignored finding, a baselined one with an
// owner, an excepted one without a reason, and an open one. Only the
// suppressed findings are at a severity other than their rule's.
func suppressedReport() *finding.Report {
	r := reporttest.Report()
	open := r.Findings[0] // PCL-AWS-001, critical
	mk := func(res string, line int, sev finding.Severity, s *finding.Suppression) finding.Finding {
		f := open
		f.Resource, f.Severity, f.Suppressed = res, sev, s
		f.Location = finding.Location{Range: graph.Range{File: "main.tf", Start: graph.Pos{Line: line, Column: 5}, End: graph.Pos{Line: line, Column: 10}}}
		return f
	}
	r.Findings = []finding.Finding{
		open,
		mk("aws_security_group.inline", 20, finding.High, &finding.Suppression{Kind: finding.SuppressedInline, Reason: "bastion host",
			Range: graph.Range{File: "main.tf", Start: graph.Pos{Line: 19, Column: 1}, End: graph.Pos{Line: 19, Column: 40}}}),
		mk("aws_security_group.base", 21, finding.Critical, &finding.Suppression{Kind: finding.SuppressedBaseline, Reason: "recorded in the baseline",
			Owner: "team-net", Ticket: "NET-12", Expires: "2027-01-31"}),
		mk("aws_security_group.exc", 22, finding.Medium, &finding.Suppression{Kind: finding.SuppressedException}),
	}
	r.Diagnostics = nil
	r.Sort()
	return r
}

func TestSuppressedOmittedByDefault(t *testing.T) {
	run := decodeGH(t, suppressedReport(), Options{}).Runs[0]
	if len(run.Results) != 1 || run.Results[0].RuleID != "PCL-AWS-001" || len(run.Results[0].Suppressions) != 0 {
		t.Fatalf("results %+v", run.Results)
	}
	if got := run.Properties["suppressedFindingsOmitted"]; got != float64(3) {
		t.Errorf("suppressedFindingsOmitted = %v, want 3", got)
	}
	// The omitted findings' severities make no descriptors.
	for _, d := range run.Tool.Driver.Rules {
		if strings.Contains(d.ID, "/") {
			t.Errorf("descriptor %s for an omitted finding", d.ID)
		}
	}
	// Without suppressed findings there is no count.
	if p := decodeGH(t, reporttest.Report(), Options{}).Runs[0].Properties; p != nil {
		t.Errorf("run properties %v", p)
	}
}

func TestSuppressedIncluded(t *testing.T) {
	run := decodeGH(t, suppressedReport(), Options{IncludeSuppressed: true}).Runs[0]
	if run.Properties != nil {
		t.Errorf("run properties %v", run.Properties)
	}
	got := map[string]string{}
	ids := map[string]string{}
	for _, res := range run.Results {
		var sups []string
		for _, s := range res.Suppressions {
			var v any
			if err := json.Unmarshal(s, &v); err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(v) // sorted keys, compact
			sups = append(sups, string(b))
		}
		got[res.Properties["resource"]] = strings.Join(sups, ",")
		ids[res.Properties["resource"]] = res.RuleID
	}
	want := map[string]string{
		"aws_security_group.web":    "",
		"aws_security_group.inline": `{"justification":"bastion host","kind":"inSource","location":{"physicalLocation":{"artifactLocation":{"uri":"main.tf","uriBaseId":"%SRCROOT%"},"region":{"endColumn":40,"endLine":19,"startColumn":1,"startLine":19}}},"properties":{"kind":"inline"},"status":"accepted"}`,
		"aws_security_group.base":   `{"justification":"recorded in the baseline","kind":"external","properties":{"expires":"2027-01-31","kind":"baseline","owner":"team-net","ticket":"NET-12"},"status":"accepted"}`,
		"aws_security_group.exc":    `{"justification":"Suppressed (exception).","kind":"external","properties":{"kind":"exception"},"status":"accepted"}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suppressions (-want +got):\n%s", diff)
	}
	wantIDs := map[string]string{
		"aws_security_group.web":    "PCL-AWS-001",
		"aws_security_group.inline": "PCL-AWS-001/high",
		"aws_security_group.base":   "PCL-AWS-001",
		"aws_security_group.exc":    "PCL-AWS-001/medium",
	}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Errorf("rule ids (-want +got):\n%s", diff)
	}
}

func TestDiagnosticResults(t *testing.T) {
	diags := []graph.Diagnostic{
		{Severity: graph.SeverityError, Summary: "Unsupported block type", Detail: "Blocks of type \"resourc\" are not expected here.",
			Range: graph.Range{File: "b.tf", Start: graph.Pos{Line: 4, Column: 1}, End: graph.Pos{Line: 4, Column: 8}}},
		{Severity: graph.SeverityError, Summary: "Scan timed out", Detail: "after 10m0s"},
		{Severity: graph.SeverityError, Summary: "Scan timed out", Detail: "after 10m0s"},
		{Severity: graph.SeverityWarning, Summary: "Module not installed"},
		{Severity: graph.SeverityNote, Summary: "Understood from its inputs", Range: graph.Range{File: "a.tf", Start: graph.Pos{Line: 1, Column: 1}}},
	}
	r := &finding.Report{
		Diagnostics: diags,
		Files:       map[string]string{"z.tf": "00", "a/main.tf": "01", "b.tf": "02"},
		Sources:     map[string][]byte{"0.tf": nil}, // Files wins
	}
	run := decodeGH(t, r, Options{}).Runs[0]
	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3 (one per error diagnostic)", len(run.Results))
	}
	type res struct {
		RuleID, Level, Text, URI string
		Region                   jsonRegion
	}
	var got []res
	fps := map[string]bool{}
	for _, x := range run.Results {
		if len(x.Locations) != 1 {
			t.Fatalf("%q: %d locations", x.Message.Text, len(x.Locations))
		}
		pl := x.Locations[0].PhysicalLocation
		got = append(got, res{x.RuleID, x.Level, x.Message.Text, pl.ArtifactLocation.URI, *pl.Region})
		fps[x.PartialFingerprints[FingerprintKey]] = true
		if run.Tool.Driver.Rules[x.RuleIndex].ID != DiagnosticRuleID {
			t.Errorf("ruleIndex %d", x.RuleIndex)
		}
	}
	// Canonical order: diagnostics without a file first.
	want := []res{
		{DiagnosticRuleID, "error", "The whole scan: Scan timed out: after 10m0s.", "a/main.tf", jsonRegion{StartLine: 1}},
		{DiagnosticRuleID, "error", "The whole scan: Scan timed out: after 10m0s.", "a/main.tf", jsonRegion{StartLine: 1}},
		{DiagnosticRuleID, "error", "Unsupported block type: Blocks of type \"resourc\" are not expected here.", "b.tf",
			jsonRegion{StartLine: 4, StartColumn: 1, EndLine: 4, EndColumn: 8}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostic results (-want +got):\n%s", diff)
	}
	if len(fps) != 3 {
		t.Errorf("%d distinct fingerprints for 3 results", len(fps))
	}
	d := run.Tool.Driver.Rules[0]
	if d.ID != DiagnosticRuleID || d.Name != DiagnosticRuleName || d.DefaultConfiguration.Level != "error" || d.HelpURI != "" {
		t.Errorf("descriptor %+v (no RulesURI: no helpUri)", d)
	}
	if _, ok := d.Properties["security-severity"]; ok {
		t.Error("the diagnostic rule has a security severity")
	}

	// Sources name the files when digests do not; with neither, a
	// scan-wide diagnostic is no result (GitHub rejects a result without a
	// location); the notification and the exit code still tell.
	r.Files = nil
	if loc := decodeGH(t, r, Options{}).Runs[0].Results[0].Locations; len(loc) != 1 || loc[0].PhysicalLocation.ArtifactLocation.URI != "0.tf" {
		t.Errorf("with sources only: %+v", loc)
	}
	r.Sources = nil
	if res := decodeGH(t, r, Options{}).Runs[0].Results; len(res) != 1 || res[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "b.tf" {
		t.Errorf("without files: %+v", res)
	}
}

func TestHelpURI(t *testing.T) {
	base := "https://example.com/p/blob/main/"
	for name, tc := range map[string]struct {
		rule     finding.Rule
		rulesURI string
		want     string
	}{
		"built-in":            {finding.Rule{ID: "PCS-X-001", Builtin: true}, base, base + "docs/rules/PCS-X-001.md"},
		"built-in, no base":   {finding.Rule{ID: "PCS-X-001", Builtin: true}, "", ""},
		"built-in, relative":  {finding.Rule{ID: "PCS-X-001", Builtin: true}, "docs/", ""},
		"built-in wins":       {finding.Rule{ID: "PCS-X-001", Builtin: true, HelpURI: "https://other.example.com/"}, base, base + "docs/rules/PCS-X-001.md"},
		"user page":           {finding.Rule{ID: "ACME-1", HelpURI: "https://wiki.example.com/ACME-1"}, base, "https://wiki.example.com/ACME-1"},
		"user, none":          {finding.Rule{ID: "ACME-1"}, base, ""},
		"user, http":          {finding.Rule{ID: "ACME-1", HelpURI: "http://wiki.example.com/ACME-1"}, base, ""},
		"user, not a URL":     {finding.Rule{ID: "ACME-1", HelpURI: "docs/ACME-1.md"}, base, ""},
		"user, page, no base": {finding.Rule{ID: "ACME-1", HelpURI: "https://wiki.example.com/ACME-1"}, "", "https://wiki.example.com/ACME-1"},
	} {
		if got := helpURI(tc.rule, tc.rulesURI); got != tc.want {
			t.Errorf("%s: helpURI = %q, want %q", name, got, tc.want)
		}
	}
	// A user rule without a page has no link in its help either.
	d := descriptor(finding.Rule{ID: "ACME-1", Title: "T", Remediation: "Fix it."}, "ACME-1", base)
	if d.HelpURI != nil || strings.Contains(*d.Help.Markdown, "documentation") || strings.Contains(*d.Help.Text, "Documentation") {
		t.Errorf("user rule without a page: helpUri %v, help %q", d.HelpURI, *d.Help.Markdown)
	}
}

func TestMarkdownBlocks(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"plain":          {"Set `x = 1`.\nThen apply.", "Set `x = 1`.\nThen apply."},
		"fenced already": {"Do this:\n\n```hcl\nx = 1\n```\n\nDone.", "Do this:\n\n```hcl\nx = 1\n```\n\nDone."},
		"indented as a whole": {"  Do this:\n\n  ```hcl\n  resource \"a\" \"b\" {\n    x = 1\n  }\n  ```\n",
			"Do this:\n\n```hcl\nresource \"a\" \"b\" {\n  x = 1\n}\n```"},
		"fence indented under a paragraph": {"Restrict the rule:\n  ```hcl\n  resource \"a\" \"b\" {\n    x = 1\n  }\n  ```\nThen apply.",
			"Restrict the rule:\n\n```hcl\nresource \"a\" \"b\" {\n  x = 1\n}\n```\n\nThen apply."},
		"four spaces": {"Use:\n    ```yaml\n    Key: value\n      Nested: 1\n    ```",
			"Use:\n\n```yaml\nKey: value\n  Nested: 1\n```"},
		"unclosed":                  {"Use:\n```hcl\nx = 1", "Use:\n\n```hcl\nx = 1\n```"},
		"tildes and a longer fence": {"~~~~\n```\nnot a close\n~~~~\nafter", "~~~~\n```\nnot a close\n~~~~\n\nafter"},
		"CRLF":                      {"Use:\r\n```hcl\r\nx = 1\r\n```\r\n", "Use:\n\n```hcl\nx = 1\n```"},
		"inline triple backticks":   {"Write ```x``` inline.\nNext.", "Write ```x``` inline.\nNext."},
		"blank lines inside kept":   {"```\na\n\n  b\n```", "```\na\n\n  b\n```"},
	} {
		if got := markdownBlocks(tc.in); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, tc.want)
		}
	}
}

func TestRemediationFencedInHelp(t *testing.T) {
	rule := finding.Rule{ID: "ACME-1", Title: "T", Remediation: "Restrict it:\n  ```hcl\n  cidr_blocks = [\"10.0.0.0/8\"]\n  ```", Controls: []string{"C1"}}
	d := descriptor(rule, rule.ID, "")
	want := "**T**\n\n## Remediation\n\nRestrict it:\n\n```hcl\ncidr_blocks = [\"10.0.0.0/8\"]\n```\n\n**Controls:** C1"
	if *d.Help.Markdown != want {
		t.Errorf("help.markdown\n got %q\nwant %q", *d.Help.Markdown, want)
	}
}

func TestDescriptionsFitGitHub(t *testing.T) {
	para := strings.Repeat("word ", 150) // 750 characters
	long := "First paragraph\nwrapped here. " + para + "\n\nSecond paragraph. " + para
	if got, want := fullDescription(long), "First paragraph wrapped here. "+strings.TrimSpace(para)+"."; got != want {
		t.Errorf("fullDescription of a long text = %q", got)
	}
	if got := fullDescription("Short\ntext"); got != "Short text." {
		t.Errorf("fullDescription = %q", got)
	}
	huge := strings.Repeat("Sentence one. ", 100) // one paragraph of 1,400 characters
	got := fullDescription(huge)
	if n := len([]rune(got)); n > MaxDescription || !strings.HasSuffix(got, "one.") {
		t.Errorf("fullDescription of one huge paragraph: %d characters, ends %q", n, got[len(got)-10:])
	}
	noStop := strings.Repeat("x", 2000)
	if got := limit(noStop, MaxDescription); len([]rune(got)) != MaxDescription || !strings.HasSuffix(got, "…") {
		t.Errorf("limit without a full stop: %d characters", len([]rune(got)))
	}
}

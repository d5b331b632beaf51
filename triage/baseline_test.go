package triage

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/policies/finding"
)

func TestWriteBaseline(t *testing.T) {
	open := sgFinding()
	dup := sgFinding() // the same fingerprint elsewhere (another line): written once
	dup.Location.Range = at("main.tf", 30, 1)
	inline := moduleFinding()
	inline.Suppressed = &finding.Suppression{Kind: finding.SuppressedInline, Reason: "r"}
	excepted := moduleFinding()
	excepted.Resource = "aws_s3_bucket.b"
	excepted.Suppressed = &finding.Suppression{Kind: finding.SuppressedException, Reason: "r"}
	low := moduleFinding()
	low.Resource = "aws_s3_bucket.low"
	low.Suppressed = &finding.Suppression{Kind: finding.SuppressedThreshold, Reason: "below"}

	var a, b bytes.Buffer
	if err := WriteBaseline(&a, newReport(open, dup, inline, excepted, low)); err != nil {
		t.Fatal(err)
	}
	if err := WriteBaseline(&b, newReport(low, excepted, dup, inline, open)); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "tool": "portcullis",
  "findings": [
    {
      "fingerprint": "` + low.FingerprintHash() + `",
      "rule_id": "PCS-AWS-002",
      "root": ".",
      "resource": "aws_s3_bucket.low",
      "attribute": "",
      "file": "modules/bucket/main.tf"
    },
    {
      "fingerprint": "` + open.FingerprintHash() + `",
      "rule_id": "PCS-AWS-001",
      "root": ".",
      "resource": "aws_security_group.web",
      "attribute": "ingress.0.cidr_blocks",
      "file": "main.tf"
    }
  ]
}
`
	if low.FingerprintHash() > open.FingerprintHash() {
		t.Fatalf("fixture: want the low finding's fingerprint first")
	}
	if d := cmp.Diff(want, a.String()); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if a.String() != b.String() {
		t.Errorf("another order of findings gave other bytes:\n%s", b.String())
	}
	if err := WriteBaseline(&a, newReport()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(a.String(), "{\n  \"version\": 1,\n  \"tool\": \"portcullis\",\n  \"findings\": []\n}\n") {
		t.Errorf("empty baseline:\n%s", a.String())
	}
}

// TestBaselineIdentity: a finding keeps its identity when lines move and
// list elements are inserted elsewhere (its Key, computed from content,
// does not change), and loses it when the offending value changes.
func TestBaselineIdentity(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, newReport(sgFinding())); err != nil {
		t.Fatal(err)
	}
	base, err := ReadBaseline(".portcullis/baseline.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	moved := sgFinding()
	moved.Location.Range = at("main.tf", 12, 5) // lines inserted above
	moved.Attribute = "ingress.1.cidr_blocks"   // a rule inserted before it
	changed := sgFinding()
	changed.Key = "ingress[bbbbbbbbbbbb].cidr_blocks" // another offending rule
	otherRoot := sgFinding()
	otherRoot.Root = "envs/prod"
	rep := newReport(moved, changed, otherRoot)
	if diags := Apply(rep, Options{Now: clock, Baseline: base}); len(diags) != 0 {
		t.Errorf("diagnostics %v", diags)
	}
	want := []*finding.Suppression{{Kind: finding.SuppressedBaseline, Reason: "in the baseline .portcullis/baseline.json"}, nil, nil}
	if d := cmp.Diff(want, suppressions(rep)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestReadBaselineErrors(t *testing.T) {
	fp := strings.Repeat("ab", 32)
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "b.json: empty baseline (write one with --baseline-write)"},
		{"syntax", "{\n  \"version\": 1,\n  \"tool\" \"portcullis\"\n}", "b.json: not a portcullis baseline: line 3, column 10: invalid character '\"' after object key"},
		{"unknown field", `{"version":1,"tool":"portcullis","findings":[],"extra":1}`, `b.json: not a portcullis baseline: json: unknown field "extra"`},
		{"wrong type", `{"version":"1"}`, "b.json: not a portcullis baseline: version: want a JSON number, got a JSON string"},
		{"other tool", `{"version":1,"tool":"checkov","findings":[]}`, `b.json: not a portcullis baseline (tool "checkov", want "portcullis")`},
		{"version", `{"version":2,"tool":"portcullis","findings":[]}`, "b.json: unsupported baseline version 2 (want 1)"},
		{"findings not a list", `{"version":1,"tool":"portcullis","findings":{}}`, "b.json: not a portcullis baseline: findings: want a JSON array, got a JSON object"},
		{"entry field type", `{"version":1,"tool":"portcullis","findings":[{"fingerprint":1}]}`, "b.json: not a portcullis baseline: findings.fingerprint: want a JSON string, got a JSON number"},
		{"bad fingerprint", `{"version":1,"tool":"portcullis","findings":[{"fingerprint":"` + fp + `"},{"fingerprint":"ABC"}]}`, `b.json: findings[1].fingerprint: want 64 lowercase hex digits, got "ABC"`},
		{"trailing", `{"version":1,"tool":"portcullis","findings":[]} {}`, "b.json: not a portcullis baseline: text after the JSON document"},
	} {
		_, err := ReadBaseline("b.json", []byte(tc.in))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.name, err, tc.want)
		}
	}
	b, err := ReadBaseline("b.json", []byte(`{"version":1,"tool":"portcullis","findings":[{"fingerprint":"`+fp+`","rule_id":"X"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&Baseline{Name: "b.json", Fingerprints: map[string]bool{fp: true}, Entries: []BaselineEntry{{Fingerprint: fp, RuleID: "X"}}}, b); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A baseline written after Apply keeps today's open findings, not the
// accepted ones: rewriting it with --baseline in force keeps the entries
// that still exist and drops the fixed ones.
func TestBaselineRewrite(t *testing.T) {
	fixed := moduleFinding()
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, newReport(sgFinding(), fixed)); err != nil {
		t.Fatal(err)
	}
	base, err := ReadBaseline("b.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	rep := newReport(sgFinding())
	rep.Ignores = nil
	Apply(rep, Options{Now: clock, Baseline: base})
	buf.Reset()
	if err := WriteBaseline(&buf, rep); err != nil {
		t.Fatal(err)
	}
	again, err := ReadBaseline("b.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]bool{sgFinding().FingerprintHash(): true}, again.Fingerprints); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/internal/golden"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report/reporttest"
)

func styled(t *testing.T, r *finding.Report, style string, color bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{Style: style, Color: color}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTextStylesGolden(t *testing.T) {
	for _, tc := range cases {
		for _, style := range []string{StyleCompact, StyleQuiet} {
			t.Run(tc.name+"/"+style, func(t *testing.T) {
				plain := styled(t, tc.report(), style, false)
				golden.Check(t, "testdata/text_"+tc.name+"_"+style+".golden", plain)
				if got := ansi.ReplaceAll(styled(t, tc.report(), style, true), nil); !bytes.Equal(got, plain) {
					t.Errorf("coloured output is not the plain output plus SGR codes:\n%s", got)
				}
				shuffled := tc.report()
				reverse(shuffled.Findings)
				reverse(shuffled.Diagnostics)
				reverse(shuffled.Rules)
				if !bytes.Equal(styled(t, shuffled, style, false), plain) {
					t.Error("output depends on the order of the report's slices")
				}
			})
		}
	}
	// The default style is the full one.
	if !bytes.Equal(styled(t, reporttest.Triaged(), StyleFull, false), styled(t, reporttest.Triaged(), "", false)) {
		t.Error(`style "" differs from StyleFull`)
	}
}

func TestTextCompact(t *testing.T) {
	out := string(styled(t, reporttest.Triaged(), StyleCompact, false))
	want := "main.tf:9:19: critical: PCL-AWS-001 Security group allows ingress from the internet\n" +
		"  Security group \"aws_security_group.web\" allows ingress from 0.0.0.0/0 on port 22\n" +
		"  9 |     cidr_blocks = [\"0.0.0.0/0\"]\n" +
		"    |                   ^^^^^^^^^^^^^\n" +
		"main.tf:14:2: low: PCL-AWS-002 S3 bucket has no team tag\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("compact output starts\n%s\nwant\n%s", out[:min(len(out), len(want)+200)], want)
	}
	fix := "\nHow to fix\n" +
		"PCL-AWS-001 Security group allows ingress from the internet (1 finding)\n" +
		"  Remediation: Restrict `cidr_blocks` to the networks that need access, or put\n" +
		"    the service behind a load balancer.\n" +
		"  See https://github.com/portcullis-iac/portcullis/blob/main/docs/rules/PCL-AWS-001.md\n" +
		"PCL-AWS-002 S3 bucket has no team tag (2 findings)\n" +
		"  Remediation: Add an `Owner` tag naming a team alias.\n" +
		"  See https://github.com/portcullis-iac/portcullis/blob/main/docs/rules/PCL-AWS-002.md\n" +
		"PCL-AWS-003 RDS instance storage is not encrypted (1 finding)\n"
	if !strings.Contains(out, fix) {
		t.Errorf("compact output lacks\n%s\n--- output:\n%s", fix, out)
	}
	// Each remediation once; suppressed findings are not listed.
	if n := strings.Count(out, "Remediation: Add an `Owner` tag"); n != 1 {
		t.Errorf("PCL-AWS-002's remediation written %d times", n)
	}
	for _, hidden := range []string{"PCL-AWS-004", "Legacy", "examples/db.tf", "resource aws_"} {
		if strings.Contains(out, hidden) {
			t.Errorf("compact output shows %q:\n%s", hidden, out)
		}
	}
}

func TestTextQuiet(t *testing.T) {
	got := string(styled(t, reporttest.Triaged(), StyleQuiet, false))
	want := "broken.tf:1:1: error: Unsupported block type: Blocks of type \"resourc\" are not expected here.\n" +
		"\n" +
		"6 findings (1 critical, 1 high, 3 medium, 1 low) in 12 resources, 2 diagnostics (1 error, 1 warning); " +
		"not counted: 1 ignored inline, 1 excepted, 1 in the baseline, 1 in excluded paths, 1 not on changed lines, 1 below the threshold\n"
	if got != want {
		t.Errorf("quiet output\n%q\nwant\n%q", got, want)
	}
	if got := string(styled(t, reporttest.Empty(), StyleQuiet, false)); got != "No findings in 3 resources, 0 diagnostics\n" {
		t.Errorf("quiet output of an empty report %q", got)
	}
}

func TestTextUnknownStyle(t *testing.T) {
	var b bytes.Buffer
	err := WriteText(&b, reporttest.Report(), TextOptions{Style: "terse"})
	if err == nil || err.Error() != `unknown text style "terse" (want full, compact or quiet)` || b.Len() != 0 {
		t.Errorf("err %v, output %q", err, b.String())
	}
}

func TestSummaryNotCounted(t *testing.T) {
	sup := func(kind string) finding.Finding {
		return finding.Finding{RuleID: "R", Severity: finding.High, Suppressed: &finding.Suppression{Kind: kind}}
	}
	tests := []struct {
		name     string
		findings []finding.Finding
		want     string
	}{
		{"only suppressed", []finding.Finding{sup(finding.SuppressedInline)},
			"No findings in 1 resource, 0 diagnostics; not counted: 1 ignored inline\n"},
		{"triage order", []finding.Finding{
			sup(finding.SuppressedThreshold), sup(finding.SuppressedThreshold), sup(finding.SuppressedBaseline),
			sup(finding.SuppressedInline), sup(finding.SuppressedInline), sup(finding.SuppressedException),
			{RuleID: "R", Severity: finding.Low},
		}, "1 finding (1 low) in 1 resource, 0 diagnostics; not counted: 2 ignored inline, 1 excepted, 1 in the baseline, 2 below the threshold\n"},
		{"unknown kind", []finding.Finding{sup(""), sup("mystery"), sup(finding.SuppressedExcluded), sup(finding.SuppressedUnchanged)},
			"No findings in 1 resource, 0 diagnostics; not counted: 1 in excluded paths, 1 not on changed lines, 2 suppressed\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &finding.Report{Findings: tc.findings, Resources: 1}
			for _, style := range []string{StyleFull, StyleCompact, StyleQuiet} {
				out := string(styled(t, r, style, false))
				if got := out[strings.LastIndex(strings.TrimSuffix(out, "\n"), "\n")+1:]; got != tc.want {
					t.Errorf("%s: %q, want %q", style, got, tc.want)
				}
			}
		})
	}
}

// Quiet keeps error diagnostics only; warnings and notes are counted.
func TestTextQuietDiagnostics(t *testing.T) {
	r := &finding.Report{Diagnostics: []graph.Diagnostic{
		{Severity: graph.SeverityWarning, Summary: "w", Range: graph.Range{File: "a.tf", Start: graph.Pos{Line: 1, Column: 1}}},
		{Severity: graph.SeverityError, Summary: "bad\x1b[2J", Detail: "one\ntwo", Range: graph.Range{File: "b.tf", Start: graph.Pos{Line: 2, Column: 3}}},
	}}
	want := "b.tf:2:3: error: bad\ufffd[2J: one\n  two\n\nNo findings in 0 resources, 2 diagnostics (1 error, 1 warning)\n"
	if got := string(styled(t, r, StyleQuiet, false)); got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

// A rule that is not loaded has no remediation to show: no "How to fix"
// heading without rules under it.
func TestTextCompactUnknownRule(t *testing.T) {
	r := &finding.Report{Findings: []finding.Finding{{RuleID: "X-1", Severity: finding.Low, Message: "m"}}}
	want := "<unknown>: low: X-1\n  m\n\n1 finding (1 low) in 0 resources, 0 diagnostics\n"
	if got := string(styled(t, r, StyleCompact, false)); got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

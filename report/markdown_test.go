package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/internal/golden"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report/reporttest"
)

func markdownOut(t *testing.T, r *finding.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestMarkdown(t *testing.T) {
	out := markdownOut(t, reporttest.Triaged())
	golden.Check(t, "testdata/markdown_triaged.md", []byte(out))
	shuffled := reporttest.Triaged()
	reverse(shuffled.Findings)
	reverse(shuffled.Rules)
	reverse(shuffled.Diagnostics)
	if markdownOut(t, shuffled) != out {
		t.Error("output depends on the order of the report's slices")
	}
	for _, want := range []string{
		"## portcullis: 6 findings\n\n6 findings in 12 resources, 2 diagnostics; not counted: 1 ignored inline, 1 excepted, 1 in the baseline, 1 in excluded paths, 1 not on changed lines, 1 below the threshold.\n",
		"| Severity | Open findings |\n| --- | ---: |\n| Critical | 1 |\n| High | 1 |\n| Medium | 3 |\n| Low | 1 |\n",
		"| Critical | [PCL-AWS-001](https://github.com/portcullis-iac/portcullis/blob/main/docs/rules/PCL-AWS-001.md) Security group allows ingress from the internet | main\\.tf\\:\u20609\\:\u206019 | aws\\_security\\_group\\.web | Security group \"aws\\_security\\_group\\.web\" allows ingress from 0\\.0\\.0\\.0/0 on port 22 |\n",
		"<details>\n<summary>6 findings not counted</summary>\n\n| Status | Severity | Rule | Location | Resource | Reason | Owner | Ticket | Expires |\n",
		"| exception | High | [PCL-AWS-004](https://github.com/portcullis-iac/portcullis/blob/main/docs/rules/PCL-AWS-004.md) S3 bucket does not block public access | main\\.tf\\:\u206013\\:\u20601 | aws\\_s3\\_bucket\\.logs | log bucket written by the load balancer only | storage-team | SEC-123 | 2027-03-31 |\n",
		"### Diagnostics\n\n| Severity | Location | Problem |\n| --- | --- | --- |\n| Warning |  | Module not installed\\:\u2060 Run \"terraform init\" to install module \"net\"; its resources were not scanned\\. |\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks\n%s\n--- output:\n%s", want, out)
		}
	}
	if got := markdownOut(t, reporttest.Empty()); got != "## portcullis: 0 findings\n\n0 findings in 3 resources, 0 diagnostics.\n\n"+
		"| Severity | Open findings |\n| --- | ---: |\n| Critical | 0 |\n| High | 0 |\n| Medium | 0 |\n| Low | 0 |\n\n" {
		t.Errorf("empty report:\n%s", got)
	}
}

// Hostile text cannot make a link, an image, HTML, a mention, an issue
// reference, an emoji or a new table cell.
func TestMarkdownHostileText(t *testing.T) {
	hostile := "x | y ![img](https://evil/x.png) [link](https://evil) <script>alert(1)</script> <img src=x onerror=alert(1)> " +
		"&lt; www.evil.com https://evil.com user@evil.com @admin #12 :smile: **bold** `code`\n# heading\r\n--- $x$"
	r := &finding.Report{
		Rules: []finding.Rule{{ID: "R-1", Title: hostile}},
		Findings: []finding.Finding{
			{RuleID: "R-1", Severity: finding.High, Message: hostile, Resource: hostile,
				Location: finding.Location{Range: graph.Range{File: hostile, Start: graph.Pos{Line: 1}}}},
			{RuleID: "R-1", Severity: finding.Low, Message: "m", Suppressed: &finding.Suppression{
				Kind: finding.SuppressedException, Reason: hostile, Owner: hostile, Ticket: hostile, Expires: hostile}},
		},
		Diagnostics: []graph.Diagnostic{{Severity: graph.SeverityError, Summary: hostile, Detail: hostile}},
	}
	out := markdownOut(t, r)
	escaped := mdText(hostile, 10000)
	wantEscaped := "x \\| y \\!\\[img\\]\\(https\\:\u2060//evil/x\\.png\\) \\[link\\]\\(https\\:\u2060//evil\\) " +
		"\\<script\\>alert\\(1\\)\\</script\\> \\<img src=x onerror=alert\\(1\\)\\> \\&lt; www\\.evil\\.com " +
		"https\\:\u2060//evil\\.com user\\@\u2060evil\\.com \\@\u2060admin \\#\u206012 \\:\u2060smile\\:\u2060 \\*\\*bold\\*\\* \\`code\\` " +
		"\\#\u2060 heading --- \\$x\\$"
	if escaped != wantEscaped {
		t.Errorf("mdText =\n%q\nwant\n%q", escaped, wantEscaped)
	}
	// Every line is a heading, a table row, a <details> tag, prose of ours or
	// blank: none starts with hostile text, and every table row has as many
	// unescaped pipes as its header.
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| ") {
			if n := strings.Count(strings.ReplaceAll(l, "\\|", ""), "|"); n != 6 && n != 10 && n != 4 && n != 3 {
				t.Errorf("row with %d cell separators: %s", n, l)
			}
		}
	}
	for _, bad := range []string{"<script", "<img", "](https://evil", "![", "@admin", "#12", ":smile:", "&lt;", "$x$", "**bold", "`code"} {
		if regexp.MustCompile(`(^|[^\\])` + regexp.QuoteMeta(bad)).MatchString(out) {
			t.Errorf("output contains %q unescaped:\n%s", bad, out)
		}
	}
	if strings.Contains(out, "\r") {
		t.Error("carriage return in output")
	}
}

func TestMarkdownBounded(t *testing.T) {
	r := oneLineReport(1500)
	out := markdownOut(t, r)
	if n := strings.Count(out, "\n| High | [PCS"); n != 1000 {
		t.Errorf("%d finding rows, want 1000", n)
	}
	if !strings.Contains(out, "\n500 more rows not shown: the summary is limited to 1000 rows and about 900 kB. The other output formats list them all.\n") {
		t.Error("no note of the rows left out")
	}
	// Long cells: 1,000 rows of 300-character messages stay under 1 MiB.
	long := strings.Repeat("<&>", 1000)
	for i := range r.Findings {
		r.Findings[i].Message = long
		r.Findings[i].Resource = long
	}
	out = markdownOut(t, r)
	if len(out) > 1<<20 {
		t.Errorf("%d bytes", len(out))
	}
	if !strings.Contains(out, "more rows not shown") {
		t.Error("no note of the rows left out")
	}
}

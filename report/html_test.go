package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/internal/golden"
	"github.com/portcullis-iac/portcullis/parser/graph"

	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report/reporttest"
)

func htmlOut(t *testing.T, r *finding.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestHTMLGolden(t *testing.T) {
	out := htmlOut(t, reporttest.Triaged())
	golden.Check(t, "testdata/html_triaged.html", out)
	golden.Check(t, "testdata/html_empty.html", htmlOut(t, reporttest.Empty()))
}

func TestHTMLSelfContained(t *testing.T) {
	out := string(htmlOut(t, reporttest.Triaged()))
	for _, bad := range []string{"<script", "<link", "src=", "url(", "@import", "http://", "https://", "<iframe", "<object", "<img"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	if !strings.Contains(out, `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`) {
		t.Error("no content security policy")
	}
	shuffled := reporttest.Triaged()
	reverse(shuffled.Findings)
	reverse(shuffled.Rules)
	reverse(shuffled.Diagnostics)
	if string(htmlOut(t, shuffled)) != out {
		t.Error("output depends on the order of the report's slices")
	}
}

func TestHTMLHeader(t *testing.T) {
	out := string(htmlOut(t, reporttest.Triaged()))
	// sha256sum of each file, sorted by path, "path sha\n", hashed again.
	var lines strings.Builder
	for _, p := range []string{"main.tf", "stack/template.yaml", "variables.tf"} {
		sum := sha256.Sum256(reporttest.Triaged().Sources[p])
		lines.WriteString(p + " " + hex.EncodeToString(sum[:]) + "\n")
	}
	sum := sha256.Sum256([]byte(lines.String()))
	digest := "sha256:" + hex.EncodeToString(sum[:])
	if got := FilesDigest(reporttest.Triaged().Files); got != digest {
		t.Errorf("FilesDigest %s, want %s", got, digest)
	}
	for _, want := range []string{
		`<dt>Scan time</dt><dd id="scan-time">2026-11-30 14:05:09 UTC</dd>`,
		`<dt>Tool</dt><dd id="tool">portcullis 1.2.3</dd>`,
		`<dt>Policy set</dt><dd id="policy-set" class="mono digest">` + reporttest.PolicySet + `</dd>`,
		`<dt>Files scanned</dt><dd id="file-count">3</dd>`,
		`<dt>Digest of the files</dt><dd id="files-digest" class="mono digest">` + digest + `</dd>`,
		`<span class="n" id="open-count">6</span>`,
		`<span class="n" id="not-counted-count">6</span>`,
		// The chart: medium is the longest bar (3 findings: 240 pixels).
		`<text x="0" y="85">Medium</text>` + "\n" + `<rect class="medium" x="90" y="70" width="240" height="20" rx="2"></rect>` + "\n" + `<text x="338" y="85" class="count">3</text>`,
		`<rect class="critical" x="90" y="10" width="80" height="20" rx="2"></rect>`,
		`<tr><td class="mono">CC6.1</td><td class="num">1</td><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">2</td><td class="num">3</td></tr>`,
		`<tr><td class="mono">No SOC 2 control</td><td class="num">0</td><td class="num">0</td><td class="num">2</td><td class="num">0</td><td class="num">2</td><td class="num">1</td></tr>`,
		// The finding's line marked, with two lines of context each side.
		`<pre class="snippet"><span class="line"><span class="num">7</span>    to_port     = 22</span><span class="line"><span class="num">8</span>    protocol    = &#34;tcp&#34;</span>` +
			`<span class="line hit"><span class="num">9</span>    cidr_blocks = <mark>[&#34;0.0.0.0/0&#34;]</mark></span>` +
			`<span class="line"><span class="num">10</span>  }</span><span class="line"><span class="num">11</span>}</span></pre>`,
		// A multi-line range: the first line from its column, the next ones whole.
		`<span class="line hit"><span class="num">14</span>	<mark>bucket = &#34;logs&#34;</mark></span><span class="line hit"><span class="num">15</span>  <mark>tags = {</mark></span>`,
		`<tr><td class="nowrap">exception</td><td class="mono nowrap">PCL-AWS-004</td><td class="nowrap">high</td><td class="mono">main.tf:13:1</td><td class="mono">aws_s3_bucket.logs</td>` +
			`<td>log bucket written by the load balancer only<br><small class="mono">.portcullis/exceptions.yaml:3:5</small></td><td>storage-team</td><td class="nowrap">SEC-123</td><td class="nowrap">2027-03-31</td></tr>`,
		`<tr><td>error</td><td class="mono">broken.tf:1:1</td><td>Unsupported block type<br><span class="message">Blocks of type &#34;resourc&#34; are not expected here.</span></td></tr>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks\n%s", want)
		}
	}
	empty := string(htmlOut(t, reporttest.Empty()))
	for _, want := range []string{`<dd id="scan-time">not recorded</dd>`, `<p class="empty">No open findings.</p>`, `<p class="empty">No finding was suppressed.</p>`} {
		if !strings.Contains(empty, want) {
			t.Errorf("empty report lacks %s", want)
		}
	}
}

func TestHTMLHostileText(t *testing.T) {
	hostile := `<script>document.body.setAttribute("data-pwned","1")</script><img src=x onerror=alert(1)>"'&`
	src := "ok = 1\nname = \"" + hostile + "\"\x1b[2J\nend = 2\n"
	r := &finding.Report{
		Tool:      finding.Tool{Name: "portcullis", Version: "<b>v</b>"},
		PolicySet: hostile,
		Rules:     []finding.Rule{{ID: "R-1", Title: hostile, Controls: []string{"SOC2:" + hostile}, Remediation: hostile}},
		Findings: []finding.Finding{
			{RuleID: "R-1", Severity: finding.Critical, Message: hostile, Resource: hostile, Attribute: hostile,
				Location: finding.Location{Range: graph.Range{File: "a.tf", Start: graph.Pos{Line: 2, Column: 9}, End: graph.Pos{Line: 2, Column: 17}}}},
			{RuleID: "R-1", Severity: finding.Low, Message: "m", Suppressed: &finding.Suppression{Kind: hostile, Reason: hostile, Owner: hostile, Ticket: hostile, Expires: hostile}},
		},
		Diagnostics: []graph.Diagnostic{{Severity: graph.SeverityError, Summary: hostile, Detail: hostile}},
		Sources:     map[string][]byte{"a.tf": []byte(src)},
		Files:       map[string]string{hostile: hostile},
	}
	out := string(htmlOut(t, r))
	for _, bad := range []string{"<script", "<img", "<b>", "\x1b"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q", bad)
		}
	}
	if !strings.Contains(out, `<span class="line hit"><span class="num">2</span>name = &#34;<mark>&lt;script&gt;</mark>document.body.setAttribute(&#34;data-pwned&#34;,&#34;1&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&#34;&#39;&amp;&#34;`+"\ufffd"+`[2J</span>`) {
		t.Errorf("snippet not escaped as expected:\n%s", out)
	}
}

// A finding on a very long line shows a window around the mark, and the
// cost per finding does not grow with the line (see BenchmarkHTML).
func TestHTMLLongLine(t *testing.T) {
	line := strings.Repeat("a", 5000) + "TARGET" + strings.Repeat("b", 5000)
	src := &sourceCache{files: map[string][]byte{"f": []byte(line)}}
	got := htmlSnippet(src, graph.Range{File: "f", Start: graph.Pos{Line: 1, Column: 5001}, End: graph.Pos{Line: 1, Column: 5007}})
	want := []htmlLine{{Number: 1, Hit: true, Before: "…" + strings.Repeat("a", 100), Mark: "TARGET", After: strings.Repeat("b", 294) + "…"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// A long mark is cut too; a context line is cut at htmlMaxCols.
	src = &sourceCache{files: map[string][]byte{"f": []byte(line + "\nx\n" + line)}}
	got = htmlSnippet(src, graph.Range{File: "f", Start: graph.Pos{Line: 2, Column: 1}, End: graph.Pos{Line: 2, Column: 2}})
	want = []htmlLine{
		{Number: 1, Before: strings.Repeat("a", 400) + "…"},
		{Number: 2, Hit: true, Mark: "x"},
		{Number: 3, Before: strings.Repeat("a", 400) + "…"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got = htmlSnippet(src, graph.Range{File: "f", Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 10007}})
	if len(got) != 3 || got[0].Mark != strings.Repeat("a", 200)+"…" || got[0].Before != "" || got[0].After != strings.Repeat("a", 200)+"…" {
		t.Errorf("long mark: %+v", got[0])
	}
}

func TestHTMLSpans(t *testing.T) {
	got := htmlSpans("Set `a = 1` and `b`, not ` alone")
	want := []htmlSpan{{Text: "Set "}, {Text: "a = 1", Code: true}, {Text: " and "}, {Text: "b", Code: true}, {Text: ", not ` alone"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	out := string(htmlOut(t, reporttest.Triaged()))
	if !strings.Contains(out, `<p class="remediation"><strong>Remediation.</strong> Set <code>storage_encrypted = true</code>.</p>`) {
		t.Error("remediation code not shown as code")
	}
}

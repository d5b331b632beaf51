package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report/reporttest"
)

// chromium finds a headless-capable Chromium, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "chromium not found: install it to render the HTML report (Debian: apt-get install -y chromium)"
	if os.Getenv("PORTCULLIS_REQUIRE_CHROMIUM") != "" {
		t.Fatal(msg + "; PORTCULLIS_REQUIRE_CHROMIUM is set (CI), so the test may not skip")
	}
	t.Skip(msg)
	return ""
}

// runChromium runs headless Chromium on a file with extra arguments and
// returns its standard output.
func runChromium(t *testing.T, bin, dir, page string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir=" + filepath.Join(dir, "profile"), "--window-size=1280,2000"}, args...)
	cmd := exec.CommandContext(ctx, bin, append(all, "file://"+page)...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, stderr.String())
	}
	return stdout.Bytes()
}

// TestHTMLInChromium renders the report of Triaged, with a finding whose
// message, resource and source line hold a script, in headless Chromium:
// the rendered page has the headings, counts and rows expected, and no
// script ran. The screenshot is left in $PORTCULLIS_SCREENSHOT when set.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	r := reporttest.Triaged()
	evil := `<script>document.body.setAttribute("data-pwned","1");document.title="pwned"</script>`
	r.Sources["evil.tf"] = []byte("name = \"" + evil + "\"\n")
	r.Findings = append(r.Findings, finding.Finding{
		RuleID: "PCL-AWS-003", Severity: finding.High, Message: "Hostile " + evil, Resource: evil, Root: ".",
		Location: finding.Location{Range: graph.Range{File: "evil.tf", Start: graph.Pos{Line: 1, Column: 8}, End: graph.Pos{Line: 1, Column: 8 + len(evil) + 2}}},
	})
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, htmlOut(t, r), 0o644); err != nil {
		t.Fatal(err)
	}

	dom := string(runChromium(t, bin, dir, page, "--dump-dom"))
	text := func(id string) string {
		m := regexp.MustCompile(`id="` + id + `"[^>]*>([^<]*)<`).FindStringSubmatch(dom)
		if m == nil {
			t.Errorf("no element #%s in the rendered page", id)
			return ""
		}
		return m[1]
	}
	for id, want := range map[string]string{
		"open-count": "7", "not-counted-count": "6", "diagnostic-count": "2", "file-count": "3",
		"scan-time": "2026-11-30 14:05:09 UTC", "policy-set": reporttest.PolicySet,
	} {
		if got := text(id); got != want {
			t.Errorf("#%s shows %q, want %q", id, got, want)
		}
	}
	for _, want := range []string{
		"<h1>Infrastructure-as-code policy report</h1>",
		`<h2>Findings by SOC 2 control</h2>`,
		`<h2>Open findings</h2>`,
		`<h2>Exceptions and suppressed findings</h2>`,
		`<h3 id="severity-high"><span class="badge high">High</span> 2 findings</h3>`,
		`<h4><span class="rule mono">PCL-AWS-001</span> Security group allows ingress from the internet</h4>`,
		`<tr><td class="nowrap">exception</td><td class="mono nowrap">PCL-AWS-004</td><td class="nowrap">high</td>`,
		// The script is text in the page.
		`<p class="message">Hostile &lt;script&gt;document.body.setAttribute("data-pwned","1");document.title="pwned"&lt;/script&gt;</p>`,
		"<title>portcullis policy report: 7 open findings</title>",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered page lacks %s", want)
		}
	}
	if strings.Contains(dom, "data-pwned=") || strings.Contains(dom, "<title>pwned") || strings.Contains(dom, "<script") {
		t.Error("a script from the scanned text ran or became an element")
	}

	shot := filepath.Join(dir, "report.png")
	if out := os.Getenv("PORTCULLIS_SCREENSHOT"); out != "" {
		shot = out
	}
	runChromium(t, bin, dir, page, "--screenshot="+shot, "--hide-scrollbars")
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != 1280 || cfg.Height != 2000 {
		t.Errorf("screenshot %+v, %v", cfg, err)
	}
}

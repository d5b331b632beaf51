package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeTree writes content to dir/name, creating directories.
func writeTree(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const baselineGroup = `resource "aws_security_group" "app" {
  name        = "app"
  description = "app"
  vpc_id      = "vpc-1"
%s
  ingress {
    description = "SSH"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "HTTPS inside"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = [%s"10.0.0.0/8"]
  }
}
`

// TestBaselineSurvivesEdits records a baseline, then moves the finding
// (a line and a whole block inserted above it, a CIDR added to another
// block): the finding keeps its fingerprint and stays baselined. A new
// finding is reported, and counted alone.
func TestBaselineSurvivesEdits(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, "main.tf", strings.Replace(baselineGroup, "%s", "", 2))
	base := filepath.Join(t.TempDir(), "baseline.json")
	code, out, stderr := runCLI(t, "scan", "--root", dir, "--baseline-write", base, "--quiet", dir)
	if code != exitFindings || stderr != "" {
		t.Fatalf("baseline-write: exit %d, stderr %s", code, stderr)
	}
	if want := "1 finding (1 critical) in 1 resource, 0 diagnostics\n"; out != want {
		t.Errorf("baseline-write output %q, want %q", out, want)
	}
	b, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version  int `json:"version"`
		Findings []struct {
			Fingerprint string `json:"fingerprint"`
			RuleID      string `json:"rule_id"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Version != 1 || len(doc.Findings) != 1 || doc.Findings[0].RuleID != "PCS-AWS-001" {
		t.Fatalf("baseline %s: %v", b, err)
	}

	moved := "\n  ingress {\n    description = \"inserted\"\n    protocol    = \"tcp\"\n    from_port   = 5432\n    to_port     = 5432\n    cidr_blocks = [\"10.2.0.0/16\"]\n  }\n"
	writeTree(t, dir, "main.tf", "# a comment line inserted\n"+strings.Replace(strings.Replace(baselineGroup, "%s", moved, 1), "%s", `"10.9.0.0/16", `, 1))
	code, out, _ = runCLI(t, "scan", "--root", dir, "--baseline", base, "--quiet", dir)
	if code != exitOK {
		t.Errorf("after edits: exit %d, want 0: %s", code, out)
	}
	if want := "No findings in 1 resource, 0 diagnostics; not counted: 1 in the baseline\n"; out != want {
		t.Errorf("after edits: %q, want %q", out, want)
	}

	writeTree(t, dir, "new.tf", `resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  description       = "RDP"
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_blocks       = ["0.0.0.0/0"]
}
`)
	code, out, _ = runCLI(t, "scan", "--root", dir, "--baseline", base, "--compact", "--no-color", dir)
	if code != exitFindings || !strings.HasPrefix(out, "new.tf:8:24: critical: PCS-AWS-001") || !strings.HasSuffix(out, "1 finding (1 critical) in 2 resources, 0 diagnostics; not counted: 1 in the baseline\n") {
		t.Errorf("a new finding: exit %d\n%s", code, out)
	}
	// A baseline that is not one is an error, not an empty baseline.
	bad := filepath.Join(t.TempDir(), "bad.json")
	writeTree(t, filepath.Dir(bad), "bad.json", `{"version": 2, "findings": []}`)
	if code, _, stderr := runCLI(t, "scan", "--root", dir, "--baseline", bad, dir); code != exitError || !strings.Contains(stderr, "bad.json") {
		t.Errorf("bad baseline: exit %d, stderr %s", code, stderr)
	}
}

// TestDiffBase reports only the findings on lines changed since a git
// ref, while the module is still evaluated whole (the value of a changed
// variable reaches an unchanged resource through a related location).
func TestDiffBase(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed:", err)
	}
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	rule := func(name string, port int, cidr string) string {
		return `resource "aws_security_group_rule" "` + name + `" {
  type              = "ingress"
  description       = "` + name + `"
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = ` + itoa(port) + `
  to_port           = ` + itoa(port) + `
  cidr_blocks       = [` + cidr + `]
}
`
	}
	git("init", "-q", "-b", "main")
	writeTree(t, dir, "old.tf", rule("ssh", 22, `"0.0.0.0/0"`))
	writeTree(t, dir, "vars.tf", "variable \"admin\" {\n  default = \"10.0.0.0/8\"\n}\n")
	writeTree(t, dir, "admin.tf", rule("admin", 3389, "var.admin"))
	git("add", ".")
	git("commit", "-q", "-m", "base")
	// A new open rule, and the default of a variable an unchanged rule uses.
	writeTree(t, dir, "old.tf", rule("ssh", 22, `"0.0.0.0/0"`)+"\n"+rule("redis", 6379, `"0.0.0.0/0"`))
	writeTree(t, dir, "vars.tf", "variable \"admin\" {\n  default = \"0.0.0.0/0\"\n}\n")
	code, out, stderr := runCLI(t, "scan", "--root", dir, "--diff-base", "main", "--format", "json", dir)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Findings []struct {
			Resource   string `json:"resource"`
			Suppressed *struct {
				Kind string `json:"kind"`
			} `json:"suppressed"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		state := "counts"
		if f.Suppressed != nil {
			state = f.Suppressed.Kind
		}
		got = append(got, f.Resource+":"+state)
	}
	want := "aws_security_group_rule.ssh:unchanged aws_security_group_rule.redis:counts aws_security_group_rule.admin:counts" // admin's value is written in vars.tf
	if strings.Join(got, " ") != want {
		t.Errorf("findings %v, want %s", got, want)
	}
	if code, _, stderr := runCLI(t, "scan", "--root", dir, "--diff-base", "no-such-ref", dir); code != exitError || !strings.Contains(stderr, "--diff-base") {
		t.Errorf("bad ref: exit %d, %s", code, stderr)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestEveryFormat writes every format of one scan and checks each is what
// it claims to be, identically twice.
func TestEveryFormat(t *testing.T) {
	setClock(t, time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)) // the HTML report states the scan time
	target := filepath.Join(repo, "examples", "terraform", "insecure")
	for _, format := range formatNames {
		t.Run(format, func(t *testing.T) {
			var first string
			for i := range 2 {
				code, out, stderr := runCLI(t, "scan", "--root", repo, "--no-color", "--format", format, target)
				if code != exitFindings || stderr != "" {
					t.Fatalf("exit %d, stderr %s", code, stderr)
				}
				if i == 0 {
					first = out
				} else if out != first {
					t.Fatal("two scans gave different output")
				}
			}
			checkFormat(t, format, first)
		})
	}
}

func checkFormat(t *testing.T, format, out string) {
	t.Helper()
	var err error
	switch format {
	case "json", "sarif":
		var v map[string]any
		err = json.Unmarshal([]byte(out), &v)
	case "junit":
		dec := xml.NewDecoder(strings.NewReader(out))
		for err == nil {
			_, err = dec.Token()
		}
		if err.Error() == "EOF" {
			err = nil
		}
		if !strings.Contains(out, "<testsuites") || !strings.Contains(out, "<failure") {
			t.Error("no testsuites or failure element")
		}
	case "soc2-csv":
		var rows [][]string
		rows, err = csv.NewReader(strings.NewReader(out)).ReadAll()
		if err == nil && (len(rows) < 2 || rows[0][0] != "control" || rows[1][0] != "A1.2") {
			t.Errorf("rows: %v", rows[:min(2, len(rows))])
		}
	case "github":
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::warning ") && !strings.HasPrefix(l, "::notice ") {
				t.Errorf("not a workflow command: %q", l)
			}
		}
	case "markdown":
		if !strings.HasPrefix(out, "## ") || !strings.Contains(out, "| ") {
			t.Errorf("not a markdown report: %.200s", out)
		}
	case "html":
		if !strings.HasPrefix(strings.ToLower(out), "<!doctype html>") || !strings.Contains(out, "</html>") || strings.Contains(out, "<script") {
			t.Errorf("not a self-contained HTML report: %.200s", out)
		}
	case "text":
		if !strings.Contains(out, "critical: PCS-AWS-001") {
			t.Errorf("text: %.200s", out)
		}
	default:
		t.Fatalf("no check for format %s", format)
	}
	if err != nil {
		t.Errorf("%s does not parse: %v", format, err)
	}
}

// TestConfigFlags: --config names a file outside the scan root (trusted,
// as the user chose it), --no-config ignores the one in the tree, and
// --exclude adds to the configuration's excludes.
func TestConfigFlags(t *testing.T) {
	dir := t.TempDir()
	open := `resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  description       = "SSH"
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}
`
	writeTree(t, dir, "a/main.tf", open)
	writeTree(t, dir, "b/main.tf", open)
	writeTree(t, dir, ".portcullis.yaml", "version: 1\nexclude: [a]\n")
	quiet := func(args ...string) string {
		t.Helper()
		_, out, stderr := runCLI(t, append([]string{"scan", "--root", dir, "--quiet"}, append(args, dir)...)...)
		return out + stderr
	}
	if got, want := quiet(), "1 finding (1 critical) in 1 resource, 1 diagnostic (1 note)\n"; got != want {
		t.Errorf("config in the tree: %q, want %q", got, want)
	}
	if got, want := quiet("--no-config"), "2 findings (2 critical) in 2 resources, 0 diagnostics\n"; got != want {
		t.Errorf("--no-config: %q, want %q", got, want)
	}
	if got, want := quiet("--exclude", "b/**"), "No findings in 0 resources, 1 diagnostic (1 note)\n"; got != want {
		t.Errorf("--exclude: %q, want %q", got, want)
	}
	other := filepath.Join(t.TempDir(), "team.yaml")
	writeTree(t, filepath.Dir(other), "team.yaml", "version: 1\nseverity_threshold: critical\nrules:\n  PCS-AWS-001:\n    severity: high\n")
	if got, want := quiet("--config", other), "No findings in 2 resources, 1 diagnostic (1 note); not counted: 2 below the threshold\n"; got != want {
		t.Errorf("--config: %q, want %q", got, want)
	}
	if _, _, stderr := runCLI(t, "scan", "--root", dir, "--config", other, "--no-config", dir); !strings.Contains(stderr, "mutually exclusive") {
		t.Errorf("--config with --no-config: %s", stderr)
	}
	if _, _, stderr := runCLI(t, "scan", "--root", dir, "--exclude", "../x", dir); !strings.Contains(stderr, "--exclude ../x") {
		t.Errorf("bad --exclude: %s", stderr)
	}
	// A configuration in the tree cannot name files outside it.
	writeTree(t, dir, ".portcullis.yaml", "version: 1\nbaseline: ../../etc/passwd\n")
	if code, _, stderr := runCLI(t, "scan", "--root", dir, dir); code != exitError || !strings.Contains(stderr, "outside the scan root") {
		t.Errorf("baseline outside the root: exit %d, %s", code, stderr)
	}
	var buf bytes.Buffer
	buf.WriteString("version: 1\npolicy_dirs: [/etc]\n")
	writeTree(t, dir, ".portcullis.yaml", buf.String())
	if code, _, stderr := runCLI(t, "scan", "--root", dir, dir); code != exitError || !strings.Contains(stderr, "outside the scan root") {
		t.Errorf("policy_dirs outside the root: exit %d, %s", code, stderr)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// repo is the repository root, relative to this package's directory.
const repo = "../.."

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/portcullis -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run go test ./cmd/portcullis -update\n--- got ---\n%s", path, got)
	}
}

func TestExamplesGolden(t *testing.T) {
	for _, ex := range []struct {
		dir  string // under examples/
		code int
	}{
		{"terraform/insecure", exitFindings}, {"terraform/secure", exitOK}, {"terraform/modules", exitFindings},
		{"cloudformation/insecure.yaml", exitFindings}, {"cloudformation/insecure.json", exitFindings},
		{"cloudformation/secure.yaml", exitOK},
	} {
		for _, format := range []string{"text", "json", "sarif"} {
			t.Run(ex.dir+"/"+format, func(t *testing.T) {
				code, stdout, stderr := runCLI(t, "scan", "--root", repo, "--format", format, filepath.Join(repo, "examples", ex.dir))
				if code != ex.code {
					t.Errorf("exit code %d, want %d; stderr: %s", code, ex.code, stderr)
				}
				if stderr != "" {
					t.Errorf("stderr: %s", stderr)
				}
				golden(t, "examples/"+strings.ReplaceAll(ex.dir, "/", "_")+"."+format, stdout)
			})
		}
	}
}

func TestOutputIsDeterministic(t *testing.T) {
	var first string
	for i := range 5 {
		_, out, _ := runCLI(t, "scan", "--root", repo, "--format", "sarif", filepath.Join(repo, "examples"))
		if i == 0 {
			first = out
		} else if out != first {
			t.Fatal("two scans of the same input gave different SARIF")
		}
	}
}

func TestInsecureExampleFindings(t *testing.T) {
	_, out, _ := runCLI(t, "scan", "--root", repo, "--format", "json", filepath.Join(repo, "examples", "terraform", "insecure"))
	var doc struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Severity string `json:"severity"`
			Resource string `json:"resource"`
			Location struct {
				File        string `json:"file"`
				StartLine   int    `json:"start_line"`
				StartColumn int    `json:"start_column"`
			} `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range doc.Findings {
		got = append(got, strings.Join([]string{f.RuleID, f.Severity, f.Resource, f.Location.File, itoa(f.Location.StartLine) + ":" + itoa(f.Location.StartColumn)}, " "))
	}
	const file = "examples/terraform/insecure/main.tf"
	want := []string{
		"PCS-AWS-002 medium aws_default_vpc.default " + file + " 17:1",
		"PCS-AWS-002 medium aws_security_group.bastion " + file + " 23:1",
		"PCS-AWS-003 medium aws_security_group.bastion " + file + " 23:1",
		"PCS-AWS-001 critical aws_security_group.bastion " + file + " 32:34",
		"PCS-AWS-003 medium aws_security_group.bastion " + file + " 36:3",
		"PCS-AWS-001 high aws_security_group_rule.web_https " + file + " 62:23",
		"PCS-AWS-003 medium aws_vpc_security_group_ingress_rule.web_db " + file + " 68:23",
		"PCS-AWS-001 critical aws_vpc_security_group_ingress_rule.web_db " + file + " 73:15",
		"PCS-AWS-001 critical aws_vpc_security_group_ingress_rule.web_all " + file + " 81:17",
		"PCS-AWS-002 medium aws_default_security_group.default " + file + " 88:3",
		"PCS-AWS-002 medium aws_security_group.legacy " + file + " 105:17",
		"PCS-AWS-002 medium aws_instance.app " + file + " 109:1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestExitCodes(t *testing.T) {
	insecure := filepath.Join(repo, "examples", "terraform", "insecure")
	secure := filepath.Join(repo, "examples", "terraform", "secure")
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "main.tf"), []byte("resource \"x\" {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badPolicy := t.TempDir()
	if err := os.WriteFile(filepath.Join(badPolicy, "bad.rego"), []byte("package acme\n\ndeny contains 1 if {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"findings", []string{"scan", insecure}, exitFindings, ""},
		{"clean", []string{"scan", secure}, exitOK, ""},
		{"below threshold", []string{"scan", "--severity-threshold", "critical", "--var", "admin_cidr=10.0.0.0/8", insecure}, exitFindings, ""},
		{"threshold critical passes without critical findings", []string{"scan", "--severity-threshold", "critical", secure}, exitOK, ""},
		{"a syntax error fails the gate", []string{"scan", broken}, exitError, "the scan is incomplete: "},
		{"an incomplete scan accepted", []string{"scan", "--allow-incomplete", broken}, exitOK, ""},
		{"missing path", []string{"scan", "does/not/exist"}, exitError, "cannot scan does/not/exist: no such file or directory"},
		{"bad flag", []string{"scan", "--bogus"}, exitError, "unknown flag: --bogus"},
		{"bad threshold", []string{"scan", "--severity-threshold", "severe", secure}, exitError, `--severity-threshold: unknown severity "severe"`},
		{"bad format", []string{"scan", "--format", "xml", secure}, exitError, `unknown format "xml"`},
		{"two formats to stdout", []string{"scan", "--format", "text", "--format", "json", secure}, exitError, "several --format without a file"},
		{"bad var", []string{"scan", "--var", "novalue", secure}, exitError, `want NAME=VALUE, got "novalue"`},
		{"missing var file", []string{"scan", "--var-file", "nope.tfvars", secure}, exitError, "--var-file: open nope.tfvars"},
		{"broken policy", []string{"scan", "--policy-dir", badPolicy, secure}, exitError, "rego_parse_error"},
		{"missing policy dir", []string{"scan", "--policy-dir", "nope", secure}, exitError, "--policy-dir: stat nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.stderr)
			}
		})
	}
}

func TestVarsChangeFindings(t *testing.T) {
	insecure := filepath.Join(repo, "examples", "terraform", "insecure")
	_, before, _ := runCLI(t, "scan", "--format", "json", insecure)
	varFile := filepath.Join(t.TempDir(), "office.tfvars")
	if err := os.WriteFile(varFile, []byte(`admin_cidr = "198.51.100.0/24"`), 0o644); err != nil {
		t.Fatal(err)
	}
	// Command-line order: the later --var-file wins over the earlier --var.
	_, after, _ := runCLI(t, "scan", "--format", "json", "--var", "admin_cidr=0.0.0.0/0", "--var-file", varFile, insecure)
	if !strings.Contains(before, "TCP port 22 (SSH)") {
		t.Fatal("the SSH finding is missing before the override")
	}
	if strings.Contains(after, "TCP port 22 (SSH)") {
		t.Error("the SSH finding is still there after --var-file set admin_cidr to an office range")
	}
}

func TestSeveralFormatsInOneRun(t *testing.T) {
	dir := t.TempDir()
	sarifPath := filepath.Join(dir, "out.sarif")
	jsonPath := filepath.Join(dir, "out.json")
	code, stdout, stderr := runCLI(t, "scan", "--format", "sarif="+sarifPath, "--format", "text",
		"--format", "json="+jsonPath, filepath.Join(repo, "examples", "terraform", "insecure"))
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "PCS-AWS-001") {
		t.Errorf("text output missing: %q", stdout)
	}
	for _, p := range []string{sarifPath, jsonPath} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Errorf("%s is not JSON: %v", p, err)
		}
	}
}

func TestOutputFlag(t *testing.T) {
	out := filepath.Join(t.TempDir(), "results.json")
	code, stdout, _ := runCLI(t, "scan", "--format", "json", "--output", out, filepath.Join(repo, "examples", "terraform", "insecure"))
	if code != exitFindings || stdout != "" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(b), `"rule_id": "PCS-AWS-001"`) {
		t.Errorf("--output file: %v %s", err, b)
	}
}

func TestRulesAndVersion(t *testing.T) {
	code, out, _ := runCLI(t, "rules", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var rules []struct {
		ID       string   `json:"id"`
		Severity string   `json:"severity"`
		Controls []string `json:"controls"`
	}
	if err := json.Unmarshal([]byte(out), &rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) < 3 || rules[0].ID != "PCS-AWS-001" || rules[0].Severity != "critical" || len(rules[0].Controls) == 0 {
		t.Errorf("rules = %+v", rules)
	}
	code, out, _ = runCLI(t, "rules")
	if code != 0 || !strings.HasPrefix(out, "ID ") || !strings.Contains(out, "PCS-AWS-003") {
		t.Errorf("rules text: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "version")
	if code != 0 || out != "portcullis "+version+"\n" {
		t.Errorf("version: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "scan", "--help")
	if code != 0 || !strings.Contains(out, "Exit codes:") {
		t.Errorf("scan --help: %d %q", code, out)
	}
}

func TestPlanJSON(t *testing.T) {
	planFile := filepath.Join(repo, "parser", "plan", "testdata", "plans", "full.tfplan.json")
	src := filepath.Join(repo, "parser", "plan", "testdata", "src")
	// With the configuration: findings point into the .tf files.
	code, out, stderr := runCLI(t, "scan", "--root", repo, "--format", "json", "--source-dir", src, planFile)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, `"file": "parser/plan/testdata/src/modules/net/main.tf"`) {
		t.Errorf("no finding located in the configuration:\n%s", out)
	}
	// Without it: findings point into the plan file itself.
	code, out, _ = runCLI(t, "scan", "--root", repo, "--format", "json", planFile)
	if code != exitFindings || strings.Contains(out, `"file": "parser/plan/testdata/src/`) ||
		!strings.Contains(out, `"file": "parser/plan/testdata/plans/full.tfplan.json"`) {
		t.Errorf("exit %d; findings not located in the plan file:\n%s", code, out)
	}
	code, _, stderr = runCLI(t, "scan", "--source-dir", "/", planFile)
	if code != exitError || !strings.Contains(stderr, "--source-dir: / is outside the scan root") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestSuppressedFindingsDoNotFailTheScan(t *testing.T) {
	dir := t.TempDir()
	src := `resource "aws_security_group_rule" "https" {
  type              = "ingress"
  description       = "HTTPS from anywhere"
  security_group_id = "sg-123"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  # portcullis:ignore PCS-AWS-001 public HTTPS endpoint behind the WAF, approved in SEC-123
  cidr_blocks = ["0.0.0.0/0"]
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "scan", "--root", dir, "--format", "json", dir)
	if code != exitOK {
		t.Fatalf("exit %d, want 0: %s", code, stderr)
	}
	for _, want := range []string{`"reason": "public HTTPS endpoint behind the WAF, approved in SEC-123"`, `"suppressed": 1`, `"total": 0`} {
		if !strings.Contains(out, want) {
			t.Errorf("JSON lacks %s:\n%s", want, out)
		}
	}
	_, out, _ = runCLI(t, "scan", "--root", dir, "--format", "sarif", dir)
	if !strings.Contains(out, `"kind": "inSource"`) || !strings.Contains(out, `"justification": "public HTTPS endpoint behind the WAF, approved in SEC-123"`) {
		t.Errorf("SARIF lacks the suppression:\n%s", out)
	}
	_, out, _ = runCLI(t, "scan", "--root", dir, dir)
	if !strings.Contains(out, "No findings, 1 suppressed in 1 resource") {
		t.Errorf("text summary: %s", out)
	}
}

func TestCloudFormationParameters(t *testing.T) {
	tmpl := filepath.Join(repo, "examples", "cloudformation", "insecure.yaml")
	_, before, _ := runCLI(t, "scan", "--root", repo, "--format", "json", tmpl)
	if !strings.Contains(before, "TCP port 22 (SSH)") || !strings.Contains(before, "TCP port 3306 (MySQL)") {
		t.Fatalf("the SSH and MySQL findings are missing:\n%s", before)
	}
	// The parameter file (aws cloudformation's array form) sets the admin
	// network; Environment=prod takes the private branch of the Fn::If.
	params := filepath.Join(t.TempDir(), "params.json")
	if err := os.WriteFile(params, []byte(`[{"ParameterKey": "AdminCidr", "ParameterValue": "198.51.100.0/24"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, after, _ := runCLI(t, "scan", "--root", repo, "--format", "json", "--cfn-parameters", params, "--cfn-parameter", "Environment=prod", tmpl)
	if strings.Contains(after, "TCP port 22 (SSH)") || strings.Contains(after, "TCP port 3306 (MySQL)") {
		t.Errorf("parameters did not apply:\n%s", after)
	}
	if code, _, stderr := runCLI(t, "scan", "--cfn-parameter", "novalue", tmpl); code != exitError || !strings.Contains(stderr, `want KEY=VALUE`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

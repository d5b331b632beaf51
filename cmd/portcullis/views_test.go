package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/policies"
)

// optInRule is a user rule that runs only when enabled by name.
const optInRule = `# METADATA
# title: Every security group is listed
# description: An opt-in inventory of security groups.
# custom:
#   id: ACME-OPT-1
#   name: group-inventory
#   severity: low
#   controls: ["SOC2:CC7.2"]
#   remediation: Nothing to fix.
#   resource_types: [aws_security_group]
#   enabled: false
package acme.opt

deny contains {"resource": r.address, "attribute": "", "message": sprintf("%s is listed", [r.address])} if {
	some r in input.resources
	r.type == "aws_security_group"
}
`

// openGroupTF is a security group open to the internet on SSH.
const openGroupTF = `resource "aws_security_group" "web" {
  name        = "web"
  description = "Web servers"
  vpc_id      = "vpc-0123456789abcdef0"

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`

// viewFixtures writes a one-file module and a policy directory holding
// optInRule.
func viewFixtures(t *testing.T) (module, policyDir string) {
	t.Helper()
	module, policyDir = t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(module, "main.tf"), []byte(openGroupTF), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(policyDir, "opt.rego"), []byte(optInRule), 0o644); err != nil {
		t.Fatal(err)
	}
	return module, policyDir
}

type jsonDoc struct {
	Findings []struct {
		RuleID string `json:"rule_id"`
	} `json:"findings"`
	Controls map[string][]int `json:"controls"`
}

func scanJSON(t *testing.T, args ...string) (int, jsonDoc, string) {
	t.Helper()
	code, out, stderr := runCLI(t, append([]string{"scan", "--format", "json"}, args...)...)
	var doc jsonDoc
	if code != exitError {
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
	}
	return code, doc, stderr
}

func ruleCount(doc jsonDoc, id string) int {
	n := 0
	for _, f := range doc.Findings {
		if f.RuleID == id {
			n++
		}
	}
	return n
}

func TestOptInAndDisabledRules(t *testing.T) {
	module, policyDir := viewFixtures(t)
	_, doc, stderr := scanJSON(t, "--policy-dir", policyDir, module)
	if ruleCount(doc, "ACME-OPT-1") != 0 || ruleCount(doc, "PCS-AWS-001") != 1 {
		t.Errorf("default: findings %v (stderr %s)", doc.Findings, stderr)
	}
	if _, ok := doc.Controls["SOC2:CC7.2"]; ok && len(doc.Controls["SOC2:CC7.2"]) > 0 {
		t.Errorf("an opt-in rule that did not run has findings under its control: %v", doc.Controls)
	}
	_, doc, _ = scanJSON(t, "--policy-dir", policyDir, "--enable-rule", "ACME-OPT-1", module)
	if ruleCount(doc, "ACME-OPT-1") != 1 || ruleCount(doc, "PCS-AWS-001") != 1 {
		t.Errorf("--enable-rule: findings %v", doc.Findings)
	}
	// By name, and the built-in rule disabled.
	code, doc, _ := scanJSON(t, "--policy-dir", policyDir, "--enable-rule", "group-inventory", "--disable-rule", "PCS-AWS-001", module)
	if ruleCount(doc, "ACME-OPT-1") != 1 || ruleCount(doc, "PCS-AWS-001") != 0 {
		t.Errorf("--disable-rule: findings %v", doc.Findings)
	}
	if code != exitFindings {
		t.Errorf("exit %d", code)
	}
	// The SARIF log lists the rules that ran.
	_, sarifOut, _ := runCLI(t, "scan", "--format", "sarif", "--policy-dir", policyDir, "--disable-rule", "PCS-AWS-001", module)
	if strings.Contains(sarifOut, `"id": "PCS-AWS-001"`) || strings.Contains(sarifOut, `"id": "ACME-OPT-1"`) || !strings.Contains(sarifOut, `"id": "PCS-AWS-003"`) {
		t.Errorf("SARIF rules: a disabled or opt-in rule is listed, or a built-in one is missing")
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--enable-rule", "ACME-OPT-2"}, `--enable-rule ACME-OPT-2: no rule has the id or name "ACME-OPT-2"; did you mean ACME-OPT-1?`},
		{[]string{"--disable-rule", "PCS-AWS-01"}, `--disable-rule PCS-AWS-01: no rule has the id or name "PCS-AWS-01"; did you mean PCS-AWS-001`},
		{[]string{"--enable-rule", "ACME-OPT-1", "--disable-rule", "group-inventory"}, "rule ACME-OPT-1 is both enabled"},
	} {
		code, _, stderr := runCLI(t, append(append([]string{"scan", "--policy-dir", policyDir}, tt.args...), module)...)
		if code != exitError || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestRulesShowsWhatRuns(t *testing.T) {
	_, policyDir := viewFixtures(t)
	state := func(args ...string) map[string]string {
		t.Helper()
		code, out, stderr := runCLI(t, append([]string{"rules", "--policy-dir", policyDir}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if f := strings.Fields(lines[0]); strings.Join(f, " ") != "ID SEVERITY ENABLED SOC2 NAME TITLE" {
			t.Fatalf("header %q", lines[0])
		}
		m := map[string]string{}
		for _, l := range lines[1:] {
			f := strings.Fields(l)
			m[f[0]] = f[2]
		}
		return m
	}
	code, out, _ := runCLI(t, "rules")
	if code != 0 || !regexp.MustCompile(`(?m)^PCS-AWS-001 +critical +yes +CC6\.1,CC6\.6 +ingress-open-to-internet `).MatchString(out) {
		t.Errorf("rules does not show PCS-AWS-001 with its SOC 2 criteria:\n%s", out)
	}
	if s := state(); s["ACME-OPT-1"] != "opt-in" || s["PCS-AWS-001"] != "yes" {
		t.Errorf("default: %v", s)
	}
	if s := state("--enable-rule", "ACME-OPT-1", "--disable-rule", "PCS-AWS-001"); s["ACME-OPT-1"] != "yes" || s["PCS-AWS-001"] != "no" {
		t.Errorf("enabled and disabled: %v", s)
	}
	code, out, _ = runCLI(t, "rules", "--format", "json", "--policy-dir", policyDir)
	if code != 0 || !strings.Contains(out, `"opt_in": true`) {
		t.Errorf("rules --format json: %d, opt_in missing", code)
	}
}

func TestExplain(t *testing.T) {
	code, out, stderr := runCLI(t, "explain", "PCS-AWS-001")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"PCS-AWS-001: ", "\n  Name            ingress-open-to-internet\n", "\n  Severity        critical\n",
		"\n  Enabled         by default", "\n  Controls        SOC2:CC6.1, SOC2:CC6.6", "\n  Resource types  aws_security_group,",
		"\n  Documentation   https://github.com/portcullis-iac/portcullis/blob/main/docs/rules/PCS-AWS-001.md\n",
		"\nWhy\n\n", "\nHow to fix\n\n", "```hcl",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	// By name, the same; as Markdown, the catalogue page.
	if _, byName, _ := runCLI(t, "explain", "ingress-open-to-internet"); byName != out {
		t.Error("explain by name differs from explain by id")
	}
	eng, err := policies.New(t.Context(), policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := eng.Lookup("PCS-AWS-001")
	if err != nil {
		t.Fatal(err)
	}
	if _, md, _ := runCLI(t, "explain", "--format", "markdown", "PCS-AWS-001"); md != ruleDoc(r) {
		t.Errorf("explain --format markdown is not the catalogue page:\n%s", md)
	}
	// A user rule, opt-in.
	_, policyDir := viewFixtures(t)
	code, out, _ = runCLI(t, "explain", "--policy-dir", policyDir, "ACME-OPT-1")
	if code != 0 || !strings.Contains(out, "opt-in: runs only with --enable-rule ACME-OPT-1") || strings.Contains(out, "Documentation") {
		t.Errorf("user rule: %d\n%s", code, out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"explain", "PCS-AWS-01"}, "did you mean PCS-AWS-001"},
		{[]string{"explain", "ACME-OPT-1"}, `no rule has the id or name "ACME-OPT-1"`},
		{[]string{"explain"}, "accepts 1 arg(s), received 0"},
		{[]string{"explain", "--format", "html", "PCS-AWS-001"}, `unknown format "html"`},
	} {
		code, _, stderr := runCLI(t, tt.args...)
		if code != exitError || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestExplainNeutralisesControlCharacters(t *testing.T) {
	dir := t.TempDir()
	rule := strings.Replace(optInRule, "# description: An opt-in inventory of security groups.", "# description: \"Clear\\e[2J \\u202eevil\"", 1)
	if err := os.WriteFile(filepath.Join(dir, "opt.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, "explain", "--policy-dir", dir, "ACME-OPT-1")
	if code != 0 || !strings.Contains(out, "Clear[2J evil") || strings.ContainsAny(out, "\x1b\u202e") {
		t.Errorf("exit %d (%s), output %q", code, stderr, out)
	}
}

func TestGroupByControl(t *testing.T) {
	module, policyDir := viewFixtures(t)
	code, out, stderr := runCLI(t, "scan", "--group-by", "control", "--policy-dir", policyDir, "--enable-rule", "ACME-OPT-1", module)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	soc2 := strings.Index(out, "SOC2:CC6.1 (")
	cis := strings.Index(out, "CIS-AWS-3.0:5.2 (1 finding)\n")
	inventory := strings.Index(out, "SOC2:CC7.2 (1 finding)\n  main.tf:1:1: low: ACME-OPT-1 Every security group is listed\n    aws_security_group.web is listed\n")
	if soc2 < 0 || cis < 0 || inventory < 0 || soc2 > inventory || inventory > cis {
		t.Errorf("groups missing or out of order (SOC 2 first, natural order):\n%s", out)
	}
	if !strings.Contains(out, "\n  main.tf:11:20: critical: PCS-AWS-001 ") {
		t.Errorf("the open ingress is not listed under its controls:\n%s", out)
	}
	// JSON: each control's indexes are findings of rules listing it.
	code, doc, _ := scanJSON(t, "--group-by", "control", "--policy-dir", policyDir, "--enable-rule", "ACME-OPT-1", module)
	if code != exitFindings || len(doc.Controls["SOC2:CC7.2"]) != 1 || doc.Findings[doc.Controls["SOC2:CC7.2"][0]].RuleID != "ACME-OPT-1" {
		t.Errorf("controls %v, findings %v", doc.Controls, doc.Findings)
	}
	code, _, stderr = runCLI(t, "scan", "--group-by", "rule", module)
	if code != exitError || !strings.Contains(stderr, `--group-by: unknown grouping "rule" (want control or none)`) {
		t.Errorf("bad --group-by: exit %d, %q", code, stderr)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/internal/golden"
)

// repo is the repository root, relative to this package's directory.
const repo = "../.."

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	if len(args) > 0 && args[0] == "scan" {
		// The memory guard watches the whole process, which in a test is
		// every test's leftovers too, and ends it (exit 2, its message in
		// this test's buffer) past the limit: under a full parallel
		// go test ./... it stopped the package once at the default 2 GiB.
		// A later --max-memory in args still wins (memory_test.go).
		args = append([]string{"scan", "--max-memory", "8GiB"}, args[1:]...)
	}
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
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
				golden.CheckString(t, "testdata/examples/"+strings.ReplaceAll(ex.dir, "/", "_")+"."+format, stdout)
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

// exampleFinding is what the example tests read of a JSON finding.
type exampleFinding struct {
	RuleID     string `json:"rule_id"`
	Suppressed any    `json:"suppressed"`
	Location   struct {
		File      string `json:"file"`
		StartLine int    `json:"start_line"`
	} `json:"location"`
}

// scanExamples scans paths under examples/ with every opt-in rule enabled
// and returns the findings and the ids of every built-in rule.
// findingKeys reads a JSON report and returns its findings as
// "RULE-ID resource attribute" keys.
func findingKeys(t *testing.T, out string) map[string]bool {
	t.Helper()
	var doc struct {
		Findings []struct {
			RuleID    string `json:"rule_id"`
			Resource  string `json:"resource"`
			Attribute string `json:"attribute"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, f := range doc.Findings {
		keys[f.RuleID+" "+f.Resource+" "+f.Attribute] = true
	}
	return keys
}

// exampleRule is what the example tests read of a rule.
type exampleRule struct {
	ID            string   `json:"id"`
	OptIn         bool     `json:"opt_in"`
	ResourceTypes []string `json:"resource_types"`
	Remediation   string   `json:"remediation"`
}

func scanExamples(t *testing.T, paths ...string) (findings []exampleFinding, rules []exampleRule) {
	t.Helper()
	_, out, _ := runCLI(t, "rules", "--format", "json")
	if err := json.Unmarshal([]byte(out), &rules); err != nil {
		t.Fatal(err)
	}
	args := []string{"scan", "--root", repo, "--format", "json"}
	for _, r := range rules {
		if r.OptIn {
			args = append(args, "--enable-rule", r.ID)
		}
	}
	for _, p := range paths {
		args = append(args, filepath.Join(repo, "examples", p))
	}
	_, out, stderr := runCLI(t, args...)
	var doc struct {
		Findings    []exampleFinding `json:"findings"`
		Diagnostics []any            `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v; stderr: %s", err, stderr)
	}
	if len(doc.Diagnostics) > 0 {
		t.Errorf("diagnostics: %v", doc.Diagnostics)
	}
	return doc.Findings, rules
}

// examplePaths lists the insecure or secure examples: the Terraform
// directory and every CloudFormation template of that name.
func examplePaths(t *testing.T, kind string) []string {
	t.Helper()
	paths := []string{"terraform/" + kind}
	templates, err := filepath.Glob(filepath.Join(repo, "examples", "cloudformation", kind+"*"))
	if err != nil || len(templates) == 0 {
		t.Fatalf("no %s CloudFormation examples (%v)", kind, err)
	}
	for _, p := range templates {
		paths = append(paths, "cloudformation/"+filepath.Base(p))
	}
	return paths
}

// TestInsecureExamplesTripEveryRule: the insecure examples trip every
// built-in rule, opt-in ones included, in Terraform and in CloudFormation
// when the rule reads types of both; every rule's remediation shows its fix
// in a fenced code block (so it renders as code); and each
// finding sits under a comment that names its rule, in the comment block
// directly above the line it points at (JSON templates cannot hold
// comments and are checked for rules only). Every rule a comment names
// fires on the line below that comment block.
func TestInsecureExamplesTripEveryRule(t *testing.T) {
	findings, rules := scanExamples(t, examplePaths(t, "insecure")...)
	fired := map[string]bool{}
	at := map[string]bool{} // "file:line rule"
	kept := findings[:0]
	for _, f := range findings {
		if f.Suppressed == nil { // an accepted finding, shown as such
			kept = append(kept, f)
		}
	}
	findings = kept
	for _, f := range findings {
		fired[f.RuleID] = true
		at[fmt.Sprintf("%s:%d %s", f.Location.File, f.Location.StartLine, f.RuleID)] = true
	}
	inFormat := map[string]bool{} // "rule tf", "rule cfn"
	for _, f := range findings {
		format := "cfn"
		if strings.HasSuffix(f.Location.File, ".tf") {
			format = "tf"
		}
		inFormat[f.RuleID+" "+format] = true
	}
	for _, r := range rules {
		if !fired[r.ID] {
			t.Errorf("no insecure example trips %s", r.ID)
		}
		for _, typ := range r.ResourceTypes {
			format := "tf"
			if strings.Contains(typ, "::") {
				format = "cfn"
			}
			if !inFormat[r.ID+" "+format] {
				t.Errorf("%s reads %s, but no insecure %s example trips it", r.ID, typ, format)
				inFormat[r.ID+" "+format] = true // once per format
			}
		}
		if !strings.Contains(r.Remediation, "```") {
			t.Errorf("%s: the remediation has no fenced code block", r.ID)
		}
	}
	files := map[string][]string{}
	lines := func(file string) []string {
		if l, ok := files[file]; ok {
			return l
		}
		b, err := os.ReadFile(filepath.Join(repo, file))
		if err != nil {
			t.Fatal(err)
		}
		files[file] = strings.Split(string(b), "\n")
		return files[file]
	}
	isComment := func(l string) bool {
		l = strings.TrimSpace(l)
		return strings.HasPrefix(l, "#") || strings.HasPrefix(l, "//")
	}
	blank := func(l string) bool { return strings.TrimSpace(l) == "" }
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " \t")) }
	// commentAbove(ls, i) is the comment block directly above line index i.
	commentAbove := func(ls []string, i int) string {
		var b strings.Builder
		for k := i - 1; k >= 0 && isComment(ls[k]); k-- {
			b.WriteString(ls[k])
		}
		return b.String()
	}
	// Each finding is named by a comment directly above its line or above
	// one of the blocks enclosing it.
	for _, f := range findings {
		if strings.HasSuffix(f.Location.File, ".json") {
			continue
		}
		ls := lines(f.Location.File)
		named := false
		for i := f.Location.StartLine - 1; i >= 0 && !named; {
			named = strings.Contains(commentAbove(ls, i), f.RuleID)
			parent := i - 1
			for parent >= 0 && (blank(ls[parent]) || isComment(ls[parent]) || indent(ls[parent]) >= indent(ls[i])) {
				parent--
			}
			if indent(ls[i]) == 0 {
				break
			}
			i = parent
		}
		if !named {
			t.Errorf("%s:%d: %s fires, but no comment above it or its block names it", f.Location.File, f.Location.StartLine, f.RuleID)
		}
	}
	// Each rule named by a comment that sits directly on a line fires on
	// that line or inside what it opens.
	ruleRef := regexp.MustCompile(`PCS-[A-Z]+-[0-9]{3}`)
	for file := range files {
		ls := lines(file)
		for i := 0; i < len(ls); i++ {
			if !isComment(ls[i]) {
				continue
			}
			j := i
			for j < len(ls) && isComment(ls[j]) {
				j++
			}
			if j == len(ls) || blank(ls[j]) {
				i = j
				continue // a comment on its own: prose about the file
			}
			end := j + 1
			for end < len(ls) && (blank(ls[end]) || isComment(ls[end]) || indent(ls[end]) > indent(ls[j])) {
				end++
			}
			for k := i; k < j; k++ {
				for _, id := range ruleRef.FindAllString(ls[k], -1) {
					found := false
					for line := j + 1; line <= end; line++ {
						found = found || at[fmt.Sprintf("%s:%d %s", file, line, id)]
					}
					if !found {
						t.Errorf("%s:%d: a comment names %s, but it does not fire on lines %d-%d", file, k+1, id, j+1, end)
					}
				}
			}
			i = j
		}
	}
}

// TestSecureExamplesTripNoRule: the secure examples trip no built-in rule,
// opt-in ones included.
func TestSecureExamplesTripNoRule(t *testing.T) {
	findings, _ := scanExamples(t, examplePaths(t, "secure")...)
	for _, f := range findings {
		t.Errorf("%s:%d: %s fires on a secure example", f.Location.File, f.Location.StartLine, f.RuleID)
	}
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
	// The finding at the element written from var.admin_cidr.
	bastion := func(out string) bool {
		return findingKeys(t, out)["PCS-AWS-001 aws_security_group.bastion ingress.0.cidr_blocks.1"]
	}
	if !bastion(before) {
		t.Fatal("the SSH finding is missing before the override")
	}
	if bastion(after) {
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
	if code != 0 || !strings.HasPrefix(out, "portcullis "+resolvedVersion()+"\ncommit: ") {
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
	// Code scanning does not honour suppressions: SARIF leaves suppressed
	// findings out and counts them, unless asked to include them.
	_, out, _ = runCLI(t, "scan", "--root", dir, "--format", "sarif", dir)
	if strings.Contains(out, `"ruleId": "PCS-AWS-001"`) || !strings.Contains(out, `"suppressedFindingsOmitted": 1`) {
		t.Errorf("SARIF shows the suppressed finding, or does not count it:\n%s", out)
	}
	_, out, _ = runCLI(t, "scan", "--root", dir, "--format", "sarif", "--sarif-include-suppressed", dir)
	if !strings.Contains(out, `"kind": "inSource"`) || !strings.Contains(out, `"justification": "public HTTPS endpoint behind the WAF, approved in SEC-123"`) {
		t.Errorf("SARIF lacks the suppression:\n%s", out)
	}
	_, out, _ = runCLI(t, "scan", "--root", dir, dir)
	if !strings.Contains(out, "No findings in 1 resource, 0 diagnostics; not counted: 1 ignored inline") {
		t.Errorf("text summary: %s", out)
	}
}

func TestCloudFormationParameters(t *testing.T) {
	tmpl := filepath.Join(repo, "examples", "cloudformation", "insecure.yaml")
	// The two findings whose values come from parameters: SSH from
	// AdminCidr, and MySQL from the Fn::If on Environment.
	parameterFindings := func(out string) []string {
		var got []string
		for _, key := range []string{"PCS-AWS-001 BastionSecurityGroup SecurityGroupIngress.0.CidrIp", "PCS-AWS-001 WebDatabaseIngress CidrIp"} {
			if findingKeys(t, out)[key] {
				got = append(got, key)
			}
		}
		return got
	}
	_, before, _ := runCLI(t, "scan", "--root", repo, "--format", "json", tmpl)
	if got := parameterFindings(before); len(got) != 2 {
		t.Fatalf("the SSH and MySQL findings are missing: %v", got)
	}
	// The parameter file (aws cloudformation's array form) sets the admin
	// network; Environment=prod takes the private branch of the Fn::If.
	params := filepath.Join(t.TempDir(), "params.json")
	if err := os.WriteFile(params, []byte(`[{"ParameterKey": "AdminCidr", "ParameterValue": "198.51.100.0/24"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, after, _ := runCLI(t, "scan", "--root", repo, "--format", "json", "--cfn-parameters", params, "--cfn-parameter", "Environment=prod", tmpl)
	if got := parameterFindings(after); len(got) != 0 {
		t.Errorf("parameters did not apply: %v", got)
	}
	if code, _, stderr := runCLI(t, "scan", "--cfn-parameter", "novalue", tmpl); code != exitError || !strings.Contains(stderr, `want KEY=VALUE`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

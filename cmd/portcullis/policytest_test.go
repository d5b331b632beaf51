package main

import (
	"os"
	"path/filepath"
	"testing"
)

// policyRule is a user rule the policytest tests exercise.
const policyRule = `# METADATA
# title: Security group without a description
# custom:
#   id: T-001
#   severity: low
package t.sg

import data.portcullis.lib.resource

deny contains {"resource": address, "attribute": "", "message": sprintf("%s has no description", [address])} if {
	some address, res in resource.by_type.aws_security_group
	resource.missing(res, "description")
}
`

// policyTests pass: they load real text through the parse helpers.
const policyTests = "package t.sg_test\n\nimport data.t.sg\n\n" +
	"test_missing if {\n" +
	"\tinp := portcullis.terraform({\"main.tf\": `resource \"aws_security_group\" \"a\" {}`})\n" +
	"\tsg.deny == {{\"resource\": \"aws_security_group.a\", \"attribute\": \"\", \"message\": \"aws_security_group.a has no description\"}} with input as inp\n" +
	"}\n\n" +
	"test_described if {\n" +
	"\tinp := portcullis.cloudformation(\"Resources:\\n  G:\\n    Type: AWS::EC2::SecurityGroup\\n    Properties:\\n      GroupDescription: x\\n\")\n" +
	"\tcount(sg.deny) == 0 with input as inp\n" +
	"}\n"

// policyFailures: a false test that prints, a test stopped by a parse
// error of its Terraform text, and a passing one.
const policyFailures = "package t.fail_test\n\nimport data.t.sg\n\n" +
	"test_wrong_count if {\n" +
	"\tinp := portcullis.terraform({\"main.tf\": `resource \"aws_security_group\" \"a\" {}`})\n" +
	"\tprint(\"resources:\", count(inp.resources))\n" +
	"\tcount(sg.deny) == 2 with input as inp\n" +
	"}\n\n" +
	"test_broken_text if {\n" +
	"\tinp := portcullis.terraform({\"main.tf\": \"resource \\\"aws_security_group\\\" \\\"a\\\" {\"})\n" +
	"\tcount(inp.resources) == 1\n" +
	"}\n\n" +
	"test_ok if {\n" +
	"\ttrue\n" +
	"}\n"

// policyDir writes files (name -> text) under dir/policies of a new
// temporary working directory and returns "policies".
func policyDir(t *testing.T, files map[string]string) string {
	t.Helper()
	t.Chdir(t.TempDir())
	for name, text := range files {
		p := filepath.Join("policies", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return "policies"
}

func TestPolicyTestPasses(t *testing.T) {
	dir := policyDir(t, map[string]string{"sg.rego": policyRule, "sg_test.rego": policyTests})
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"summary", []string{"test", dir}, "2 passed, 0 failed\n"},
		{"verbose", []string{"test", "-v", dir}, `policies/sg_test.rego:5: data.t.sg_test.test_missing: PASS
policies/sg_test.rego:10: data.t.sg_test.test_described: PASS
------------------------------------------------------------------------
2 passed, 0 failed
`},
		{"run", []string{"test", "-v", "--run", "described$", dir}, `policies/sg_test.rego:10: data.t.sg_test.test_described: PASS
------------------------------------------------------------------------
1 passed, 0 failed
`},
		{"json", []string{"test", "--format", "json", "--run", "missing", dir}, `{
  "tests": [
    {
      "name": "data.t.sg_test.test_missing",
      "file": "policies/sg_test.rego",
      "line": 5,
      "status": "pass"
    }
  ],
  "passed": 1,
  "failed": 0,
  "skipped": 0
}
`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != exitOK || stderr != "" {
				t.Errorf("exit code %d, want %d; stderr: %s", code, exitOK, stderr)
			}
			if stdout != tt.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, tt.want)
			}
		})
	}
}

func TestPolicyTestFails(t *testing.T) {
	dir := policyDir(t, map[string]string{"sg.rego": policyRule, "fail_test.rego": policyFailures})
	code, stdout, stderr := runCLI(t, "test", dir)
	if code != exitFindings || stderr != "" {
		t.Errorf("exit code %d, want %d; stderr: %s", code, exitFindings, stderr)
	}
	want := `policies/fail_test.rego:5: data.t.fail_test.test_wrong_count: FAIL
    failed at policies/fail_test.rego:8:2: count(sg.deny) == 2 with input as inp
    resources: 1
policies/fail_test.rego:11: data.t.fail_test.test_broken_text: ERROR
    policies/fail_test.rego:12:9: eval_builtin_error: portcullis.terraform: main.tf:1:35: error: Unclosed configuration block: There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.
------------------------------------------------------------------------
1 passed, 2 failed
`
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}

	code, stdout, _ = runCLI(t, "test", "--format", "json", "--run", "wrong_count", dir)
	want = `{
  "tests": [
    {
      "name": "data.t.fail_test.test_wrong_count",
      "file": "policies/fail_test.rego",
      "line": 5,
      "status": "fail",
      "failed_at": "policies/fail_test.rego:8:2: count(sg.deny) == 2 with input as inp",
      "output": "resources: 1\n"
    }
  ],
  "passed": 0,
  "failed": 1,
  "skipped": 0
}
`
	if code != exitFindings || stdout != want {
		t.Errorf("json: exit code %d, stdout:\n%s\nwant:\n%s", code, stdout, want)
	}
}

func TestPolicyTestLoadErrors(t *testing.T) {
	for _, tt := range []struct {
		name   string
		files  map[string]string
		args   []string
		stderr string
	}{
		{
			"a syntax error",
			map[string]string{"bad.rego": "package t.bad\n\ndeny contains 1 if {\n"},
			nil,
			"portcullis: the policies do not load:\npolicies/bad.rego:4:0: rego_parse_error: unexpected eof token\n\tdeny contains 1 if {\n\t                   ^\n",
		},
		{
			"an undefined function in a test",
			map[string]string{"sg.rego": policyRule, "x_test.rego": "package t.x_test\n\ntest_x if {\n\tportcullis.terraformm({})\n}\n"},
			nil,
			"portcullis: the policies do not load:\npolicies/x_test.rego:4:2: rego_type_error: undefined function portcullis.terraformm\n",
		},
		{
			"a typo in the input",
			map[string]string{"x_test.rego": "package t.x_test\n\ntest_x if {\n\tinput.resource == {}\n}\n"},
			nil,
			"portcullis: the policies do not load:\npolicies/x_test.rego:4:2: rego_type_error: undefined ref: input.resource\n\tinput.resource\n\t      ^\n\t      have: \"resource\"\n\t      want (one of): [\"format\" \"resources\" \"root\" \"schema_version\"]\n",
		},
		{
			"METADATA a scan rejects",
			map[string]string{"sg.rego": "# METADATA\n# title: x\n# custom:\n#   severity: low\npackage t.sg\n\ndeny contains {} if false\n", "sg_test.rego": "package t.sg_test\n\ntest_x if true\n"},
			nil,
			"portcullis: the policies do not load:\npolicies/sg.rego: METADATA custom.id is missing\n",
		},
		{
			"no test",
			map[string]string{"sg.rego": policyRule},
			nil,
			"portcullis: no test found in policies (tests are test_ rules, in *_test.rego files by convention)\n",
		},
		{
			"no test matches --run",
			map[string]string{"sg.rego": policyRule, "sg_test.rego": policyTests},
			[]string{"--run", "nothing"},
			"portcullis: no test in policies matches --run nothing\n",
		},
		{
			"a bad --run",
			map[string]string{"sg.rego": policyRule, "sg_test.rego": policyTests},
			[]string{"--run", "("},
			"portcullis: --run: error parsing regexp: missing closing ): `(`\n",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := policyDir(t, tt.files)
			code, stdout, stderr := runCLI(t, append(append([]string{"test"}, tt.args...), dir)...)
			if code != exitError {
				t.Errorf("exit code %d, want %d", code, exitError)
			}
			if stdout != "" {
				t.Errorf("stdout: %s", stdout)
			}
			if stderr != tt.stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, tt.stderr)
			}
		})
	}
	code, _, stderr := runCLI(t, "test", "does/not/exist")
	if code != exitError || stderr != "portcullis: cannot read does/not/exist: no such file or directory\n" {
		t.Errorf("a missing directory: exit code %d, stderr %q", code, stderr)
	}
}

// TestPolicyTestExamples runs the tests of examples/policies, as CI does.
func TestPolicyTestExamples(t *testing.T) {
	code, stdout, stderr := runCLI(t, "test", filepath.Join(repo, "examples", "policies"))
	if code != exitOK || stderr != "" {
		t.Errorf("exit code %d; stderr: %s", code, stderr)
	}
	if want := "8 passed, 0 failed\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
}

// TestParseHelpersStayInMemory: a file name of portcullis.terraform that
// leaves the in-memory directory is refused, never read from disk.
func TestParseHelpersStayInMemory(t *testing.T) {
	dir := policyDir(t, map[string]string{"x_test.rego": "package t.x_test\n\n" +
		"test_escape if {\n\tportcullis.terraform({\"../../main.tf\": \"\"})\n}\n\n" +
		"test_absolute if {\n\tportcullis.terraform({\"/etc/main.tf\": \"\"})\n}\n"})
	code, stdout, _ := runCLI(t, "test", dir)
	want := `policies/x_test.rego:3: data.t.x_test.test_escape: ERROR
    policies/x_test.rego:4:2: eval_builtin_error: portcullis.terraform: files: "../../main.tf" is not a relative slash-separated file name (main.tf, modules/net/main.tf)
policies/x_test.rego:7: data.t.x_test.test_absolute: ERROR
    policies/x_test.rego:8:2: eval_builtin_error: portcullis.terraform: files: "/etc/main.tf" is not a relative slash-separated file name (main.tf, modules/net/main.tf)
------------------------------------------------------------------------
0 passed, 2 failed
`
	if code != exitFindings || stdout != want {
		t.Errorf("exit code %d, stdout:\n%s\nwant:\n%s", code, stdout, want)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// inspectDir writes files (path -> text) into a new temporary working
// directory.
func inspectDir(t *testing.T, files map[string]string) {
	t.Helper()
	t.Chdir(t.TempDir())
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestInspectRedactsSensitiveValues(t *testing.T) {
	inspectDir(t, map[string]string{
		"infra/main.tf": `variable "token" {
  type      = string
  sensitive = true
  default   = "hunter2-secret"
}

resource "aws_security_group" "web" {
  description = "web"
  tags = {
    token = var.token
  }
}
`,
		"cfn/template.yaml": `Parameters:
  Password:
    Type: String
    NoEcho: true
    Default: hunter2-secret
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      MasterUserPassword: !Ref Password
`,
	})
	code, stdout, stderr := runCLI(t, "inspect", "--root", ".", "infra", "cfn")
	if code != exitOK || stderr != "" {
		t.Errorf("exit code %d; stderr: %s", code, stderr)
	}
	want := `{
  "roots": [
    {
      "root": "infra",
      "format": "terraform",
      "input": {
        "format": "terraform",
        "resources": {
          "aws_security_group.web": {
            "address": "aws_security_group.web",
            "format": "terraform",
            "location": {
              "end_line": 7,
              "file": "infra/main.tf",
              "start_line": 7
            },
            "meta": {},
            "mode": "managed",
            "module": "",
            "name": "web",
            "provider": "aws",
            "referenced_by": [],
            "references": [],
            "sensitive": {
              "tags": true
            },
            "type": "aws_security_group",
            "unknown": {},
            "values": {
              "description": "web",
              "tags": "(sensitive)"
            }
          }
        },
        "root": "infra",
        "schema_version": 1
      }
    },
    {
      "root": "cfn/template.yaml",
      "format": "cloudformation",
      "input": {
        "format": "cloudformation",
        "resources": {
          "Db": {
            "address": "Db",
            "format": "cloudformation",
            "location": {
              "end_line": 7,
              "file": "cfn/template.yaml",
              "start_line": 7
            },
            "meta": {},
            "mode": "managed",
            "module": "",
            "name": "Db",
            "provider": "aws",
            "referenced_by": [],
            "references": [],
            "sensitive": {
              "MasterUserPassword": true
            },
            "type": "AWS::RDS::DBInstance",
            "unknown": {},
            "values": {
              "Engine": "postgres",
              "MasterUserPassword": "(sensitive)"
            }
          }
        },
        "root": "cfn/template.yaml",
        "schema_version": 1
      }
    }
  ]
}
`
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	if strings.Contains(stdout, "hunter2") {
		t.Error("a sensitive value is printed")
	}
}

func TestInspectVarsAndErrors(t *testing.T) {
	inspectDir(t, map[string]string{
		"main.tf":     "variable \"cidr\" {}\n\nresource \"aws_vpc\" \"v\" {\n  cidr_block = var.cidr\n}\n",
		"broken.tf":   "resource \"aws_s3_bucket\" \"b\" {\n",
		"prod.tfvars": "cidr = \"10.0.0.0/16\"\n",
	})
	code, stdout, stderr := runCLI(t, "inspect", "--var-file", "prod.tfvars", ".")
	if code != exitError {
		t.Errorf("exit code %d, want %d", code, exitError)
	}
	wantErr := "broken.tf:1:30: error: Unclosed configuration block: There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.\n" +
		"portcullis: 1 error diagnostic(s): the documents above may lack what could not be loaded\n"
	if stderr != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantErr)
	}
	if !strings.Contains(stdout, `"cidr_block": "10.0.0.0/16"`) {
		t.Errorf("--var-file is not applied:\n%s", stdout)
	}
	// A value given on the command line is the CI job's, so it is
	// sensitive (parser/terraform): inspect does not print it.
	_, stdout, _ = runCLI(t, "inspect", "--var", "cidr=192.0.2.0/24", ".")
	if !strings.Contains(stdout, `"cidr_block": "(sensitive)"`) || strings.Contains(stdout, "192.0.2.0") {
		t.Errorf("--var is printed:\n%s", stdout)
	}
	code, _, stderr = runCLI(t, "inspect", "nope")
	if code != exitError || stderr != "portcullis: cannot scan nope: no such file or directory\n" {
		t.Errorf("a missing path: exit code %d, stderr %q", code, stderr)
	}
}

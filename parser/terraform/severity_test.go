package terraform

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The gate: a diagnostic is an error when it can hide a finding (a file
// or part of one is not read, a block is dropped, a limit is reached) and
// a warning when it only leaves a value unknown. Each case is one
// diagnostic with its exact severity.
func TestDiagnosticSeverities(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"syntax error", map[string]string{"m/main.tf": "resource \"x\" \"a\" {\n  v = [1,\n}\n"},
			[]string{`m/main.tf:3:1: error: Invalid expression: Expected the start of an expression, but found an invalid expression token.`}},
		{"template syntax error in JSON", map[string]string{"m/main.tf.json": `{"resource": {"x": {"a": {"v": "${"}}}}`},
			[]string{`m/main.tf.json:1:35: error: Missing expression: Expected the start of an expression, but found the end of the file.`}},
		{"unsupported block type", map[string]string{"m/main.tf": `resourc "x" "a" {}`},
			[]string{`m/main.tf:1:1: error: Unsupported block type: Blocks of type "resourc" are not expected here. Did you mean "resource"?`}},
		{"duplicate resource", map[string]string{"m/main.tf": "resource \"x\" \"a\" {}\nresource \"x\" \"a\" {}\n"},
			[]string{`m/main.tf:2:1: error: duplicate resource "x.a": resource "x.a" was already declared at m/main.tf:1,1-17; this declaration is ignored`}},
		{"invalid resource name", map[string]string{"m/main.tf": `resource "x" "1a" {}`},
			[]string{`m/main.tf:1:14: error: invalid resource name: "1a" is not a valid identifier`}},
		{"module source not literal", map[string]string{"m/main.tf": `module "c" { source = "./${local.x}" }`},
			[]string{
				`m/main.tf:1:1: warning: module not loaded: module "c" has no valid source (see the error at its source); its outputs are unknown`,
				`m/main.tf:1:23: error: invalid module source: the source of a module call must be a literal string`,
			}},
		{"undeclared variable", map[string]string{"m/main.tf": `resource "x" "a" { v = var.nope }`},
			[]string{`m/main.tf:1:24: warning: reference to undeclared input variable: var.nope is not declared in m`}},
		{"undeclared local", map[string]string{"m/main.tf": `resource "x" "a" { v = local.nope }`},
			[]string{`m/main.tf:1:24: warning: reference to undeclared local value: local.nope is not declared in m`}},
		{"undeclared module", map[string]string{"m/main.tf": `resource "x" "a" { v = module.nope.x }`},
			[]string{`m/main.tf:1:24: warning: reference to undeclared module: no module call "nope" is declared in m`}},
		{"missing output", map[string]string{"m/main.tf": "module \"c\" { source = \"./c\" }\nresource \"x\" \"a\" { v = module.c.nope }\n", "m/c/main.tf": "# empty\n"},
			[]string{`m/main.tf:2:24: warning: unsupported attribute: module module.c has no output "nope"`}},
		{"module not installed", map[string]string{"m/main.tf": `module "c" { source = "hashicorp/x/aws" }`},
			[]string{`m/main.tf:1:1: warning: module not loaded: module "c" (source "hashicorp/x/aws") is not installed; run terraform init to install it and scan again. Its outputs are unknown`}},
		{"unsupported module argument", map[string]string{"m/main.tf": "module \"c\" {\n  source = \"./c\"\n  nope   = 1\n}\n", "m/c/main.tf": "# empty\n"},
			[]string{`m/main.tf:3:3: error: unsupported argument: module "c" (m/c) declares no variable "nope"`}},
		{"recursive module", map[string]string{"m/main.tf": `module "c" { source = "./" }`},
			[]string{`m/main.tf:1:1: error: recursive module call: module "c" calls m, which is already being evaluated on this path; its outputs are unknown`}},
		{"cycle", map[string]string{"m/main.tf": "locals {\n  a = local.b\n  b = local.a\n}\nresource \"x\" \"a\" { v = local.a }\n"},
			[]string{`m/main.tf:2:3: warning: cycle in references: local.a -> local.b -> local.a`}},
		{"function error", map[string]string{"m/main.tf": `resource "x" "a" { v = tobool("x") }`},
			[]string{`m/main.tf:1:32: warning: Invalid function argument: Invalid value for "v" parameter: cannot convert "x" to bool; only the strings "true" or "false" are allowed.`}},
		{"count not a number", map[string]string{"m/main.tf": `resource "x" "a" { count = "x" }`},
			[]string{`m/main.tf:1:28: warning: invalid count argument: count must be a whole number, got "x"`}},
		{"count null drops the resource", map[string]string{"m/main.tf": `resource "x" "a" { count = null }`},
			[]string{`m/main.tf:1:28: error: invalid count argument: count must not be null`}},
		{"for_each of a string drops the resource", map[string]string{"m/main.tf": `resource "x" "a" { for_each = "x" }`},
			[]string{`m/main.tf:1:31: error: invalid for_each argument: for_each must be a map or a set of strings, got string`}},
		{"argument and block", map[string]string{"m/main.tf": "resource \"x\" \"a\" {\n  b = 1\n  b {}\n}\n"},
			[]string{`m/main.tf:3:3: error: duplicate argument: "b" is set both as an argument and as a block`}},
		{"invalid dynamic block", map[string]string{"m/main.tf": "resource \"x\" \"a\" {\n  dynamic {}\n}\n"},
			[]string{`m/main.tf:2:3: error: invalid dynamic block: a dynamic block needs exactly one label: the block type`}},
		{"invalid variable value", map[string]string{"m/main.tf": "variable \"n\" {\n  type = number\n}\n", "m/terraform.tfvars": `n = "x"`},
			[]string{`m/terraform.tfvars:1:5: warning: invalid value for variable: var.n: a number is required`}},
		{"tfvars syntax error", map[string]string{"m/main.tf": `variable "n" {}`, "m/terraform.tfvars": "n = [\n"},
			[]string{`m/terraform.tfvars:2:1: error: Missing expression: Expected the start of an expression, but found the end of the file.`}},
		{"tfvars undeclared", map[string]string{"m/main.tf": `variable "n" {}`, "m/terraform.tfvars": `x = 1`},
			[]string{`m/terraform.tfvars:1:1: warning: value for undeclared variable: m/terraform.tfvars sets "x", which is not declared in m`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := LoadModule(mapFS(tc.files), "m", Options{})
			if diff := cmp.Diff(tc.want, diagLines(g)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

package terraform

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(strings.TrimLeft(src, "\n"))}
	}
	return fsys
}

func addresses(g *graph.Graph) []string {
	var out []string
	for _, r := range g.Resources {
		out = append(out, r.Address)
	}
	return out
}

func diagnostics(g *graph.Graph) []string {
	var out []string
	for _, d := range g.Diagnostics {
		out = append(out, d.Range.String()+" "+d.Summary)
	}
	return out
}

// A three-level chain: the root passes a CIDR through two module calls,
// with for_each and count on the way; the finding belongs at the root's
// argument, the line a user changes.
var chain = map[string]string{
	"root/main.tf": `
variable "cidr" {
  default = "0.0.0.0/0"
}
module "a" {
  source   = "../modules/a"
  for_each = { x = 22 }
  port     = each.value
  cidr     = var.cidr
}
resource "aws_security_group_rule" "r" {
  security_group_id = module.a["x"].sg_id
}
`,
	"modules/a/main.tf": `
variable "port" {}
variable "cidr" {}
module "b" {
  source = "../b"
  count  = 1
  ports  = [var.port]
  cidrs  = [var.cidr]
}
output "sg_id" {
  value = module.b[0].id
}
`,
	"modules/b/main.tf": `
variable "ports" { type = list(number) }
variable "cidrs" { type = list(string) }
resource "aws_security_group" "this" {
  name = "b"
  ingress {
    from_port   = var.ports[0]
    to_port     = var.ports[0]
    cidr_blocks = var.cidrs
  }
}
output "id" {
  value = aws_security_group.this.id
}
`,
}

func TestThreeLevelModuleChain(t *testing.T) {
	g := LoadModule(mapFS(chain), "root", Options{})
	want := []string{`aws_security_group_rule.r`, `module.a["x"].module.b[0].aws_security_group.this`}
	if diff := cmp.Diff(want, addresses(g)); diff != "" {
		t.Fatalf("addresses (-want +got):\n%s\ndiagnostics: %v", diff, g.Diagnostics)
	}
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", diagnostics(g))
	}
	sg := g.Resource(`module.a["x"].module.b[0].aws_security_group.this`)
	if got := jsonOf(sg.Values); got != `{"ingress":[{"cidr_blocks":["0.0.0.0/0"],"from_port":22,"to_port":22}],"name":"b"}` {
		t.Errorf("values = %s", got)
	}
	if sg.Module != `module.a["x"].module.b[0]` {
		t.Errorf("module = %q", sg.Module)
	}
	// The CIDR was written in the root's variable default and passed through
	// two arguments: the finding points at the default, each argument on
	// the way is related, then the attribute.
	primary, related := sg.Locate("ingress.0.cidr_blocks.0")
	if got := primary.String(); got != "root/main.tf:2:13" {
		t.Errorf("primary location = %s", got)
	}
	var hops []string
	for _, o := range related {
		hops = append(hops, o.Kind+" "+o.Range.String()+" "+o.Description)
	}
	wantHops := []string{
		`module-argument root/main.tf:8:14 value passed as argument "cidr" of module.a["x"]`,
		`module-argument modules/a/main.tf:7:12 value passed as argument "cidrs" of module.a["x"].module.b[0]`,
		`attribute modules/b/main.tf:8:19 used by module.a["x"].module.b[0].aws_security_group.this ingress.0.cidr_blocks.0`,
	}
	if diff := cmp.Diff(wantHops, hops); diff != "" {
		t.Errorf("related (-want +got):\n%s", diff)
	}
	// The port was written in the for_each of the root's module call.
	if p, _ := sg.Locate("ingress.0.from_port"); p.String() != "root/main.tf:6:20" {
		t.Errorf("from_port location = %s", p)
	}
	// The edge crosses both module boundaries through the outputs.
	r := g.Resource("aws_security_group_rule.r")
	if len(r.Refs) != 1 || r.Refs[0].Target != `module.a["x"].module.b[0].aws_security_group.this` || r.Refs[0].TargetAttribute != "id" {
		t.Errorf("refs = %+v", r.Refs)
	}
	if got := jsonOf(r.Unknown); got != `{"security_group_id":true}` {
		t.Errorf("unknown = %s", got)
	}
	if len(sg.Callers) != 2 || sg.Callers[0].Range.String() != "root/main.tf:4:1" || sg.Callers[1].Range.String() != "modules/a/main.tf:3:1" {
		t.Errorf("callers = %+v", sg.Callers)
	}
}

func TestDisabledModuleAndUnknownCount(t *testing.T) {
	files := map[string]string{
		"root/main.tf": `
variable "n" { type = number }
module "off" {
  source = "./m"
  create = false
}
module "some" {
  source = "./m"
  count  = var.n
}
`,
		"root/m/main.tf": `
variable "create" { default = true }
resource "aws_security_group" "this" {
  count       = var.create ? 1 : 0
  description = "x"
}
`,
	}
	g := LoadModule(mapFS(files), "root", Options{})
	want := []string{`module.some[*].aws_security_group.this[0]`}
	if diff := cmp.Diff(want, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s\n%v", diff, diagnostics(g))
	}
}

func TestMissingAndInstalledRemoteModules(t *testing.T) {
	files := map[string]string{
		"root/main.tf": `
module "missing" {
  source  = "terraform-aws-modules/kms/aws"
  version = "~> 3.0"
}
module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
  cidr   = "10.0.0.0/16"
}
resource "aws_security_group" "uses" {
  description = "x"
  vpc_id      = module.vpc.vpc_id
  name        = module.missing.key_id
}
`,
		"root/.terraform/modules/modules.json": `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.0.0","Dir":".terraform/modules/vpc"}]}`,
		"root/.terraform/modules/vpc/main.tf": `
variable "cidr" {}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
resource "aws_default_vpc" "this" {}
output "vpc_id" {
  value = aws_vpc.this.id
}
`,
	}
	g := LoadModule(mapFS(files), "root", Options{})
	want := []string{"aws_security_group.uses", "module.vpc.aws_default_vpc.this", "module.vpc.aws_vpc.this"}
	if diff := cmp.Diff(want, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	wantDiags := []string{"root/main.tf:1:1 module not loaded"}
	if diff := cmp.Diff(wantDiags, diagnostics(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if !strings.Contains(g.Diagnostics[0].Detail, `module "missing" (source "terraform-aws-modules/kms/aws") is not installed; run terraform init`) {
		t.Errorf("detail = %s", g.Diagnostics[0].Detail)
	}
	uses := g.Resource("aws_security_group.uses")
	if got := jsonOf(uses.Unknown); got != `{"name":true,"vpc_id":true}` {
		t.Errorf("unknown = %s", got)
	}
	if len(uses.Refs) != 1 || uses.Refs[0].Target != "module.vpc.aws_vpc.this" {
		t.Errorf("refs = %+v", uses.Refs)
	}
	// Code installed outside the repository: findings point at the module
	// block that calls it.
	def := g.Resource("module.vpc.aws_default_vpc.this")
	if p, related := def.Locate(""); p.String() != "root/main.tf:5:1" || len(related) != 1 || related[0].Range.File != "root/.terraform/modules/vpc/main.tf" {
		t.Errorf("remote module location = %s, related %+v", p, related)
	}
	// A value passed by the root still points at the root's argument.
	if p, _ := g.Resource("module.vpc.aws_vpc.this").Locate("cidr_block"); p.String() != "root/main.tf:7:12" {
		t.Errorf("argument location = %s", p)
	}
}

func TestDataDirFromOptions(t *testing.T) {
	files := map[string]string{
		"root/main.tf":                         "module \"m\" {\n  source = \"acme/m/aws\"\n}\n",
		"root/tfdata/modules/modules.json":     `{"Modules":[{"Key":"m","Source":"acme/m/aws","Dir":"tfdata/modules/m"}]}`,
		"root/tfdata/modules/m/main.tf":        "resource \"aws_vpc\" \"v\" {}\n",
		"root/.terraform/modules/modules.json": `{"Modules":[]}`,
	}
	g := LoadModule(mapFS(files), "root", Options{DataDir: "tfdata"})
	if diff := cmp.Diff([]string{"module.m.aws_vpc.v"}, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s\n%v", diff, diagnostics(g))
	}
}

func TestModuleBounds(t *testing.T) {
	files := map[string]string{
		"root/main.tf": "module \"self\" {\n  source = \"./\"\n}\nresource \"x_a\" \"a\" {}\n",
	}
	g := LoadModule(mapFS(files), "root", Options{})
	if diff := cmp.Diff([]string{"root/main.tf:1:1 recursive module call"}, diagnostics(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"x_a.a"}, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
}

func TestOutputCycleIsADiagnostic(t *testing.T) {
	files := map[string]string{
		"root/main.tf": `
module "a" {
  source = "./a"
  x      = module.a.y
}
`,
		"root/a/main.tf": `
variable "x" {}
output "y" {
  value = var.x
}
resource "x_r" "r" {
  v = var.x
}
`,
	}
	g := LoadModule(mapFS(files), "root", Options{})
	var got []string
	for _, d := range g.Diagnostics {
		got = append(got, d.Summary+": "+d.Detail)
	}
	want := []string{`cycle in references: module.a.var.x -> module.a.output.y -> module.a.var.x`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestEnvironmentOverridesAndTofu(t *testing.T) {
	files := map[string]string{
		"m/main.tf": `
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "ports" { type = list(number) }
resource "x_thing" "t" {
  a     = var.a
  b     = var.b
  ports = var.ports
  keep  = "main"
  over  = "main"
  ingress {
    port = 1
  }
}
`,
		"m/terraform.tfvars": `b = "tfvars"`,
		"m/override.tf": `
resource "x_thing" "t" {
  over = "override"
  ingress {
    port = 2
  }
}
`,
		"m/extra.tf":   `resource "x_ignored" "i" {}`,
		"m/extra.tofu": `resource "x_tofu" "t" {}`,
	}
	g := LoadModule(mapFS(files), "m", Options{Env: map[string]string{
		"TF_VAR_a": "env", "TF_VAR_b": "env", "TF_VAR_ports": "[22, 443]", "TF_VAR_undeclared": "x", "HOME": "/root",
	}})
	// extra.tofu hides extra.tf from OpenTofu, not from Terraform: both
	// readings are reported (see TestOpenTofuReadings).
	if diff := cmp.Diff([]string{"x_ignored.i", "x_thing.t", "x_tofu.t"}, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	// TF_VAR_ is below terraform.tfvars; override.tf replaces arguments and
	// nested blocks of the same type.
	want := `{"a":"env","b":"tfvars","ingress":[{"port":2}],"keep":"main","over":"override","ports":[22,443]}`
	if got := jsonOf(g.Resource("x_thing.t").Values); got != want {
		t.Errorf("values = %s\nwant     %s", got, want)
	}
	// TF_VAR_ values are sensitive whatever the declaration says.
	if got := jsonOf(g.Resource("x_thing.t").Sensitive); got != `{"a":true,"ports":true}` {
		t.Errorf("sensitive = %s", got)
	}
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", diagnostics(g))
	}
}

// Regressions found in review: edges through computed keys, unknown
// expansions, dynamic blocks over lists, and where a mixed value points.
func TestReviewRegressions(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"r/main.tf": `
variable "create" { type = bool }
resource "aws_security_group" "b" {
  count = 2
}
resource "aws_security_group_rule" "a" {
  count             = 2
  security_group_id = aws_security_group.b[count.index].id
}
resource "aws_security_group" "maybe" {
  count = var.create ? 1 : 0
}
resource "aws_security_group_rule" "m" {
  security_group_id = aws_security_group.maybe[0].id
}
resource "x_dyn" "d" {
  dynamic "ingress" {
    for_each = [{ port = 22 }, { port = 443, sg = aws_security_group.b[0].id }]
    content {
      port        = ingress.value.port
      description = "rule ${ingress.key}"
    }
  }
}
resource "x_inf" "i" {
  port = log(0, 2)
}
module "mixed" {
  source = "./mixed"
  extra  = ["10.0.0.0/8"]
}
`,
		"r/mixed/main.tf": `
variable "extra" { type = list(string) }
resource "x_rule" "r" {
  cidr_blocks = concat(["0.0.0.0/0"], var.extra)
}
`,
	}), "r", Options{})
	refs := map[string]string{}
	for _, r := range g.Resources {
		for _, ref := range r.Refs {
			refs[r.Address] += ref.Target + "." + ref.TargetAttribute + " "
		}
	}
	want := map[string]string{
		"aws_security_group_rule.a[0]": "aws_security_group.b[0].id ",
		"aws_security_group_rule.a[1]": "aws_security_group.b[1].id ",
		"aws_security_group_rule.m":    "aws_security_group.maybe[*].id ",
	}
	if diff := cmp.Diff(want, refs); diff != "" {
		t.Errorf("refs (-want +got):\n%s", diff)
	}
	d := g.Resource("x_dyn.d")
	if got := jsonOf(d.Values); got != `{"ingress":[{"description":"rule 0","port":22},{"description":"rule 1","port":443}]}` {
		t.Errorf("dynamic over a partly unknown list = %s", got)
	}
	if got := jsonOf(g.Resource("x_inf.i").Unknown); got != `{"port":true}` {
		t.Errorf("infinite number: unknown = %s", got)
	}
	// The open CIDR is a literal in the module; the caller's argument only
	// adds 10.0.0.0/8: the finding belongs in the module.
	r := g.Resource("module.mixed.x_rule.r")
	if p, _ := r.Locate("cidr_blocks.0"); p.String() != "r/mixed/main.tf:3:17" {
		t.Errorf("literal in the module located at %s", p)
	}
	if p, _ := r.Locate("cidr_blocks.1"); p.String() != "r/main.tf:29:13" {
		t.Errorf("argument value located at %s", p)
	}
}

package terraform

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

func load(t *testing.T, files map[string]string, opts Options) *graph.Graph {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(strings.TrimLeft(src, "\n"))}
	}
	return LoadModule(fsys, "m", opts)
}

func resource(t *testing.T, g *graph.Graph, addr string) *graph.Resource {
	t.Helper()
	r := g.Resource(addr)
	if r == nil {
		var have []string
		for _, r := range g.Resources {
			have = append(have, r.Address)
		}
		t.Fatalf("no resource %s; have %v; diagnostics %v", addr, have, g.Diagnostics)
	}
	return r
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func rng(file string, l1, c1, b1, l2, c2, b2 int) graph.Range {
	return graph.Range{File: file, Start: graph.Pos{Line: l1, Column: c1, Byte: b1}, End: graph.Pos{Line: l2, Column: c2, Byte: b2}}
}

func TestRangesAreExact(t *testing.T) {
	g := load(t, map[string]string{"m/main.tf": `
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
    tags = { Name = "x" }
  }
  ingress {
    description = "é ü"
  }
}
`}, Options{})
	r := resource(t, g, "aws_security_group.web")
	want := map[string]graph.Range{
		"":                        rng("m/main.tf", 1, 1, 0, 1, 36, 35),
		"name":                    rng("m/main.tf", 2, 10, 47, 2, 15, 52),
		"ingress.0":               rng("m/main.tf", 3, 3, 55, 3, 10, 62),
		"ingress.0.cidr_blocks":   rng("m/main.tf", 4, 19, 83, 4, 46, 110),
		"ingress.0.cidr_blocks.0": rng("m/main.tf", 4, 20, 84, 4, 32, 96),
		"ingress.0.cidr_blocks.1": rng("m/main.tf", 4, 34, 98, 4, 45, 109),
		"ingress.0.tags":          rng("m/main.tf", 5, 12, 122, 5, 26, 136),
		"ingress.0.tags.Name":     rng("m/main.tf", 5, 21, 131, 5, 24, 134),
		"ingress.1":               rng("m/main.tf", 7, 3, 143, 7, 10, 150),
		// Columns count code points: "é ü" is 3 code points, 5 bytes.
		"ingress.1.description": rng("m/main.tf", 8, 19, 171, 8, 24, 178),
	}
	if diff := cmp.Diff(want, r.Ranges); diff != "" {
		t.Errorf("ranges (-want +got):\n%s", diff)
	}
	if got := jsonOf(r.Values); got != `{"ingress":[{"cidr_blocks":["10.0.0.0/8","0.0.0.0/0"],"tags":{"Name":"x"}},{"description":"é ü"}],"name":"web"}` {
		t.Errorf("values = %s", got)
	}
}

func TestVariablePrecedence(t *testing.T) {
	files := map[string]string{
		"m/main.tf": `
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "f" { default = "default" }
variable "ports" { type = list(number) }
variable "unset" { type = string }
resource "x_thing" "t" {
  a = var.a
  b = var.b
  c = var.c
  d = var.d
  e = var.e
  f = var.f
  ports = var.ports
  unset = var.unset
}
`,
		"m/terraform.tfvars":      `a = "tfvars"` + "\n" + `b = "tfvars"` + "\n" + `c = "tfvars"` + "\n" + `d = "tfvars"` + "\n" + `e = "tfvars"`,
		"m/terraform.tfvars.json": `{"b": "tfvars.json", "c": "tfvars.json", "d": "tfvars.json", "e": "tfvars.json"}`,
		"m/a.auto.tfvars":         `c = "a.auto"` + "\n" + `d = "a.auto"` + "\n" + `e = "a.auto"`,
		"m/b.auto.tfvars.json":    `{"d": "b.auto.json", "e": "b.auto.json"}`,
		"m/unrelated.tfvars":      `a = "never loaded"`,
	}
	opts := Options{Vars: []VarInput{
		{Name: "e", Value: "cli-var"},
		{File: "extra.tfvars", Content: []byte(`f = "var-file"` + "\n" + `e = "var-file"`)},
		{Name: "ports", Value: "[22, 443]"},
	}}
	g := load(t, files, opts)
	r := resource(t, g, "x_thing.t")
	want := `{"a":"tfvars","b":"tfvars.json","c":"a.auto","d":"b.auto.json","e":"var-file","f":"var-file","ports":[22,443]}`
	if got := jsonOf(r.Values); got != want {
		t.Errorf("values = %s\nwant     %s", got, want)
	}
	if got := jsonOf(r.Unknown); got != `{"unset":true}` {
		t.Errorf("unknown = %s", got)
	}
	// A -var value is sensitive whatever the declaration says; a value
	// from a file keeps the declaration's (e's -var is overridden by a
	// later -var-file).
	if got := jsonOf(r.Sensitive); got != `{"ports":true}` {
		t.Errorf("sensitive = %s", got)
	}
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", g.Diagnostics)
	}
}

func TestUnknownsFollowPlanJSONConventions(t *testing.T) {
	g := load(t, map[string]string{"m/main.tf": `
variable "cidr" { type = string }
variable "secret" {
  type      = string
  default   = "hunter2"
  sensitive = true
}
resource "aws_security_group" "a" {
  vpc_id = aws_vpc.main.id
  name   = "a-${var.cidr}"
  ingress {
    cidr_blocks = ["10.0.0.0/8", var.cidr]
  }
  password = var.secret
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
`}, Options{})
	r := resource(t, g, "aws_security_group.a")
	if got := jsonOf(r.Values); got != `{"ingress":[{"cidr_blocks":["10.0.0.0/8",null]}],"password":"hunter2"}` {
		t.Errorf("values = %s", got)
	}
	if got := jsonOf(r.Unknown); got != `{"ingress":[{"cidr_blocks":[false,true]}],"name":true,"vpc_id":true}` {
		t.Errorf("unknown = %s", got)
	}
	if got := jsonOf(r.Sensitive); got != `{"password":true}` {
		t.Errorf("sensitive = %s", got)
	}
	want := []graph.Ref{{Attribute: "vpc_id", Target: "aws_vpc.main", TargetAttribute: "id", Range: rng("m/main.tf", 8, 12, 167, 8, 27, 182)}}
	if diff := cmp.Diff(want, r.Refs); diff != "" {
		t.Errorf("refs (-want +got):\n%s", diff)
	}
	vpc := resource(t, g, "aws_vpc.main")
	if len(vpc.ReferencedBy) != 1 || vpc.ReferencedBy[0].Target != "aws_security_group.a" {
		t.Errorf("referenced_by = %+v", vpc.ReferencedBy)
	}
}

func TestReferencesFollowLocalsAndConfiguredValues(t *testing.T) {
	g := load(t, map[string]string{"m/main.tf": `
locals {
  sg    = aws_security_group.web.id
  group = local.sg
}
resource "aws_security_group" "web" {
  name = "web"
}
resource "aws_security_group_rule" "r" {
  security_group_id = local.group
  description       = "for ${aws_security_group.web.name}"
}
`}, Options{})
	r := resource(t, g, "aws_security_group_rule.r")
	if got := jsonOf(r.Values); got != `{"description":"for web"}` {
		t.Errorf("values = %s (configured attributes of other resources are known)", got)
	}
	var got []string
	for _, ref := range r.Refs {
		got = append(got, ref.Attribute+"->"+ref.Target+"."+ref.TargetAttribute+"@"+ref.Range.String())
	}
	want := []string{
		"description->aws_security_group.web.name@m/main.tf:10:30",
		"security_group_id->aws_security_group.web.id@m/main.tf:9:23",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("refs (-want +got):\n%s", diff)
	}
}

func TestCountForEachAndDynamic(t *testing.T) {
	g := load(t, map[string]string{"m/main.tf": `
variable "n" { type = number }
resource "x_off" "a" { count = 0 }
resource "x_two" "a" {
  count = 2
  idx   = count.index
}
resource "x_unknown" "a" {
  count = var.n
  fixed = "yes"
  idx   = count.index
}
resource "x_each" "a" {
  for_each = { b = 22, a = 443 }
  port     = each.value
  key      = each.key
}
resource "x_dyn" "a" {
  dynamic "ingress" {
    for_each = [22, 3389]
    iterator = rule
    content {
      port = rule.value
    }
  }
}
`}, Options{})
	var addrs []string
	for _, r := range g.Resources {
		addrs = append(addrs, r.Address)
	}
	want := []string{`x_dyn.a`, `x_each.a["a"]`, `x_each.a["b"]`, `x_two.a[0]`, `x_two.a[1]`, `x_unknown.a[*]`}
	if diff := cmp.Diff(want, addrs); diff != "" {
		t.Fatalf("addresses (-want +got):\n%s", diff)
	}
	if got := jsonOf(resource(t, g, `x_each.a["b"]`).Values); got != `{"key":"b","port":22}` {
		t.Errorf("x_each b = %s", got)
	}
	u := resource(t, g, `x_unknown.a[*]`)
	if jsonOf(u.Values) != `{"fixed":"yes"}` || jsonOf(u.Unknown) != `{"idx":true}` || u.Meta["expansion"] != "unknown" {
		t.Errorf("representative instance: values %s unknown %s meta %v", jsonOf(u.Values), jsonOf(u.Unknown), u.Meta)
	}
	d := resource(t, g, "x_dyn.a")
	if got := jsonOf(d.Values); got != `{"ingress":[{"port":22},{"port":3389}]}` {
		t.Errorf("dynamic = %s", got)
	}
	// Generated blocks point at the content block; their attributes inside it.
	if got := d.Ranges["ingress.1"].String(); got != "m/main.tf:21:5" {
		t.Errorf("ingress.1 range = %s", got)
	}
	if got := d.Ranges["ingress.1.port"].String(); got != "m/main.tf:22:14" {
		t.Errorf("ingress.1.port range = %s", got)
	}
}

func TestDiagnosticsDoNotStopTheScan(t *testing.T) {
	g := load(t, map[string]string{
		"m/broken.tf": "resource \"x\" \"y\" {\n  a = \n}\n",
		"m/main.tf": `
locals {
  a = local.b
  b = local.a
}
resource "x_ok" "a" {
  v = local.a
  w = nofunc(1)
  z = "fine"
}
`,
		"m/main.tf.json": `{"resource": {"x_json": {"j": {"cidr_blocks": ["0.0.0.0/0"]}}}}`,
	}, Options{})
	ok := resource(t, g, "x_ok.a")
	if jsonOf(ok.Values) != `{"z":"fine"}` {
		t.Errorf("values = %s", jsonOf(ok.Values))
	}
	j := resource(t, g, "x_json.j")
	if jsonOf(j.Values) != `{"cidr_blocks":["0.0.0.0/0"]}` || j.Ranges["cidr_blocks.0"].String() != "m/main.tf.json:1:48" {
		t.Errorf("json resource: %s %v", jsonOf(j.Values), j.Ranges)
	}
	var got []string
	for _, d := range g.Diagnostics {
		got = append(got, d.Range.String()+" "+d.Summary)
	}
	want := []string{
		"m/broken.tf:2:7 Invalid expression",
		"m/main.tf:2:3 cycle in references",
		"m/main.tf:7:7 Call to unknown function",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s\nall: %v", diff, g.Diagnostics)
	}
}

func BenchmarkLoadModuleExample(b *testing.B) {
	fsys := os.DirFS("../../examples/terraform")
	b.ReportAllocs()
	for b.Loop() {
		g := LoadModule(fsys, "insecure", Options{})
		if len(g.Resources) == 0 {
			b.Fatal("no resources")
		}
	}
}

func TestProviderFunctionsAndPathsAreLikeTerraform(t *testing.T) {
	g := load(t, map[string]string{
		"m/main.tf": `
module "child" {
  source = "./child"
}
resource "x_a" "a" {
  arn    = provider::aws::arn_parse("arn:aws:iam::123456789012:role/x").account_id
  fixed  = "yes"
  module = path.module
  body   = file("${path.module}/policy.json")
}
`,
		"m/policy.json": `{"Version": "2012-10-17"}`,
		"m/child/main.tf": `
resource "x_b" "b" {
  module = path.module
  root   = path.root
  body   = trimspace(file("${path.module}/data.txt"))
}
`,
		"m/child/data.txt": "from the child\n",
	}, Options{})
	a := resource(t, g, "x_a.a")
	if jsonOf(a.Values) != `{"body":"{\"Version\": \"2012-10-17\"}","fixed":"yes","module":"."}` || jsonOf(a.Unknown) != `{"arn":true}` {
		t.Errorf("x_a.a values %s unknown %s", jsonOf(a.Values), jsonOf(a.Unknown))
	}
	b := resource(t, g, "module.child.x_b.b")
	if got := jsonOf(b.Values); got != `{"body":"from the child","module":"child","root":"."}` {
		t.Errorf("x_b.b values = %s", got)
	}
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", g.Diagnostics)
	}
}

func TestNestedDynamicUnknownForEachAndMetaBlocks(t *testing.T) {
	g := load(t, map[string]string{"m/main.tf": `
variable "names" { type = set(string) }
variable "rules" {
  default = {
    web = { ports = [80, 443], cidrs = ["0.0.0.0/0"] }
  }
}
moved {
  from = x_old.a
  to   = x_sg.a
}
import {
  to = x_sg.a
  id = "sg-123"
}
check "health" {
  assert {
    condition     = true
    error_message = "never"
  }
}
resource "x_each" "a" {
  for_each  = var.names
  fixed     = terraform.workspace
  key       = each.key
  secret    = sensitive("s3cr3t")
}
resource "x_sg" "a" {
  dynamic "group" {
    for_each = var.rules
    content {
      name = group.key
      dynamic "ingress" {
        for_each = group.value.ports
        iterator = port
        content {
          port  = port.value
          cidrs = group.value.cidrs
        }
      }
    }
  }
}
`}, Options{})
	if diff := cmp.Diff([]string{"x_each.a[*]", "x_sg.a"}, addresses(g)); diff != "" {
		t.Fatalf("addresses (-want +got):\n%s", diff)
	}
	each := resource(t, g, "x_each.a[*]")
	if jsonOf(each.Values) != `{"fixed":"default","secret":"s3cr3t"}` || jsonOf(each.Unknown) != `{"key":true}` ||
		jsonOf(each.Sensitive) != `{"secret":true}` || each.Meta["expansion"] != "unknown" {
		t.Errorf("x_each: values %s unknown %s sensitive %s meta %v", jsonOf(each.Values), jsonOf(each.Unknown), jsonOf(each.Sensitive), each.Meta)
	}
	sg := resource(t, g, "x_sg.a")
	want := `{"group":[{"ingress":[{"cidrs":["0.0.0.0/0"],"port":80},{"cidrs":["0.0.0.0/0"],"port":443}],"name":"web"}]}`
	if got := jsonOf(sg.Values); got != want {
		t.Errorf("values = %s\nwant     %s", got, want)
	}
	// Generated blocks point at their content blocks, attributes inside them.
	for path, pos := range map[string]string{
		"group.0":                 "m/main.tf:30:5",
		"group.0.name":            "m/main.tf:31:14",
		"group.0.ingress.1":       "m/main.tf:35:9",
		"group.0.ingress.1.port":  "m/main.tf:36:19",
		"group.0.ingress.1.cidrs": "m/main.tf:37:19",
	} {
		if got := sg.Ranges[path].String(); got != pos {
			t.Errorf("%s at %s, want %s", path, got, pos)
		}
	}
	// The CIDR was written in the variable default: the literal first,
	// then the default it is part of.
	var hops []string
	for _, o := range sg.OriginsFor("group.0.ingress.1.cidrs.0") {
		hops = append(hops, fmt.Sprintf("%s %s written=%v %q", o.Kind, o.Range, o.Written, o.Values))
	}
	wantHops := []string{
		`variable-default m/main.tf:4:41 written=true ["0.0.0.0/0"]`,
		`variable-default m/main.tf:3:13 written=false ["0.0.0.0/0" "80" "443"]`,
	}
	if diff := cmp.Diff(wantHops, hops); diff != "" {
		t.Errorf("origins (-want +got):\n%s", diff)
	}
	if p, related := sg.Locate("group.0.ingress.1.cidrs.0"); p.String() != "m/main.tf:4:41" || len(related) != 1 || related[0].Range.String() != "m/main.tf:37:19" {
		t.Errorf("located at %s, related %+v", p, related)
	}
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", g.Diagnostics)
	}
}

func TestDynamicWithUnknownForEach(t *testing.T) {
	g := load(t, map[string]string{"m/main.tf": `
variable "rules" { type = list(object({ port = number })) }
resource "x_sg" "a" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      port        = ingress.value.port
      description = "fixed"
    }
  }
}
`}, Options{})
	sg := resource(t, g, "x_sg.a")
	// One representative block: what does not depend on the iterator is
	// still checked; the rest is unknown.
	if jsonOf(sg.Values) != `{"ingress":[{"description":"fixed"}]}` || jsonOf(sg.Unknown) != `{"ingress":[{"port":true}]}` {
		t.Errorf("values %s unknown %s", jsonOf(sg.Values), jsonOf(sg.Unknown))
	}
	if got := jsonOf(sg.Meta["dynamic_unknown"]); got != `["ingress.0"]` {
		t.Errorf("meta = %s", got)
	}
}

// Ignores of the earlier form (the rest of the line is the reason) are
// read as before; a malformed one is kept with its problem, for the triage
// stage to report, and is no diagnostic of the loader.
func TestInlineIgnores(t *testing.T) {
	g := load(t, map[string]string{"m/main.tf": `
# The public load balancer's group.
# portcullis:ignore PCS-AWS-001 public HTTPS endpoint, approved in SEC-123
resource "x_sg" "lb" {
  # portcullis:ignore PCS-AWS-003
  name = "lb" // portcullis:ignore * everything, for the test
}

resource "x_sg" "other" {}
`}, Options{})
	want := []string{
		`m/main.tf:2:3-2:75 line=3 rules=PCS-AWS-001 reason="public HTTPS endpoint, approved in SEC-123"`,
		`m/main.tf:4:5-4:34 line=5 rules=PCS-AWS-003 reason="" problem="portcullis:ignore PCS-AWS-003 needs a reason: reason=\"why\" after the rule id"`,
		`m/main.tf:5:18-5:62 line=5 rules=* reason="everything, for the test"`,
	}
	if diff := cmp.Diff(want, ignoreLines(g)); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", diagLines(g))
	}
}

func TestJSONSyntaxDynamicBlocks(t *testing.T) {
	g := load(t, map[string]string{"m/main.tf.json": `{
  "variable": {"ports": {"default": [22, 443]}},
  "resource": {"aws_security_group": {"web": {
    "name": "web",
    "ingress": [{"from_port": 80, "to_port": 80, "cidr_blocks": ["10.0.0.0/8"]}],
    "dynamic": {"ingress": {
      "for_each": "${var.ports}",
      "iterator": "p",
      "content": {"from_port": "${p.value}", "to_port": "${p.value}", "cidr_blocks": ["0.0.0.0/0"], "description": "port ${p.key}"}
    }}
  }}}
}`}, Options{})
	sg := resource(t, g, "aws_security_group.web")
	want := `{"ingress":[{"cidr_blocks":["10.0.0.0/8"],"from_port":80,"to_port":80},` +
		`{"cidr_blocks":["0.0.0.0/0"],"description":"port 0","from_port":22,"to_port":22},` +
		`{"cidr_blocks":["0.0.0.0/0"],"description":"port 1","from_port":443,"to_port":443}],"name":"web"}`
	if got := jsonOf(sg.Values); got != want {
		t.Errorf("values = %s\nwant     %s", got, want)
	}
	if got := sg.Ranges["ingress.2.cidr_blocks.0"].String(); got != "m/main.tf.json:9:87" {
		t.Errorf("generated element at %s", got)
	}
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", g.Diagnostics)
	}
}

func TestWholeResourceReferencesKeepKnownKeys(t *testing.T) {
	g := load(t, map[string]string{"m/main.tf": `
resource "aws_subnet" "s" {
  for_each   = { a = "10.0.1.0/24", b = "10.0.2.0/24" }
  cidr_block = each.value
}
resource "x_per_subnet" "p" {
  for_each  = aws_subnet.s
  cidr      = each.value.cidr_block
  subnet_id = each.value.id
}
resource "x_list" "l" {
  ids   = [for s in aws_subnet.s : s.id]
  cidrs = values(aws_subnet.s)[*].cidr_block
  n     = length(aws_subnet.s)
}
`}, Options{})
	want := []string{`aws_subnet.s["a"]`, `aws_subnet.s["b"]`, "x_list.l", `x_per_subnet.p["a"]`, `x_per_subnet.p["b"]`}
	if diff := cmp.Diff(want, addresses(g)); diff != "" {
		t.Fatalf("addresses (-want +got):\n%s", diff)
	}
	p := resource(t, g, `x_per_subnet.p["b"]`)
	if jsonOf(p.Values) != `{"cidr":"10.0.2.0/24"}` || jsonOf(p.Unknown) != `{"subnet_id":true}` {
		t.Errorf("values %s unknown %s", jsonOf(p.Values), jsonOf(p.Unknown))
	}
	l := resource(t, g, "x_list.l")
	if jsonOf(l.Values) != `{"cidrs":["10.0.1.0/24","10.0.2.0/24"],"ids":[null,null],"n":2}` {
		t.Errorf("values %s unknown %s", jsonOf(l.Values), jsonOf(l.Unknown))
	}
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", g.Diagnostics)
	}
}

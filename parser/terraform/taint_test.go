package terraform

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// shownValues is what a writer may print of the values of every resource:
// each part the sensitive tree marks is replaced by "(sensitive)".
func shownValues(g *graph.Graph) string {
	var parts []string
	for _, r := range g.Resources {
		b, err := json.Marshal(redact(r.Values, r.Sensitive))
		if err != nil {
			panic(err)
		}
		parts = append(parts, r.Address+" "+string(b))
	}
	return strings.Join(parts, "\n")
}

func redact(v, sensitive any) any {
	if s, ok := sensitive.(bool); ok && s {
		return "(sensitive)"
	}
	switch x := v.(type) {
	case map[string]any:
		sm, _ := sensitive.(map[string]any)
		out := map[string]any{}
		for k, e := range x {
			out[k] = redact(e, sm[k])
		}
		return out
	case []any:
		sl, _ := sensitive.([]any)
		out := make([]any, len(x))
		for i, e := range x {
			var se any
			if i < len(sl) {
				se = sl[i]
			}
			out[i] = redact(e, se)
		}
		return out
	}
	return v
}

// assertNothingShown fails when any form of any of the texts appears in
// the visible parts of g or in the values a writer would print.
func assertNothingShown(t *testing.T, g *graph.Graph, texts ...string) {
	t.Helper()
	dump := visibleParts(g) + "\n" + shownValues(g)
	unescaped := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&", `\"`, `"`, `\\`, `\`).Replace(dump)
	for _, secret := range texts {
		for _, form := range leakForms(secret) {
			for _, text := range []string{dump, unescaped} {
				if i := strings.Index(text, form); i >= 0 {
					t.Errorf("%q appears (as %q) in the output: ...%s...", secret, form, text[max(0, i-300):min(len(text), i+100)])
					return
				}
			}
		}
	}
}

// hcl and cty drop the sensitive mark in can() and try() (their results
// are unmarked), and when an object is indexed by a sensitive key; the
// evaluator marks the result of any expression that references a
// sensitive value, so none of these can carry the secret, or a bit of it,
// to an instance key or an unmarked value.
func TestSensitiveTaintThroughCanTryAndIndex(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf": `
variable "pw" {
  type      = string
  sensitive = true
}
locals {
  chars = split("", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
  leak  = join("", flatten([for i in range(11) : [for c in local.chars : c if can(regex("^.{${i}}${c}", var.pw))]]))
  objs  = { H = { v = "objYes" }, Q = { v = "objNo" } }
}
resource "x_leak" "k" {
  for_each = toset([local.leak])
  name     = "k"
}
resource "x_leak" "v" {
  extracted = local.leak
  tags      = { Name = local.leak }
  idx       = { H = "idxYes", Q = "idxNo" }[substr(var.pw, 0, 1)]
  obj       = local.objs[substr(var.pw, 0, 1)].v
  tried     = try(regex("^Q", var.pw), "tryFallback")
  number    = can(var.pw + 1) ? "numYes" : "numNo"
  plain     = local.objs.Q.v
}
`,
	}), "m", Options{Vars: []VarInput{{File: "secrets.tfvars", Content: []byte(`pw = "` + secretKey + `"`)}}})
	if diff := cmp.Diff([]string{`x_leak.k["(sensitive)"]`, `x_leak.v`}, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	wantDiags := []string{
		`m/main.tf:11:14: error: Invalid for_each argument: Sensitive values, or values derived from sensitive values, cannot be used as for_each arguments: the instance keys and their number would show them. One representative instance is evaluated, under the key "(sensitive)", with each.key and each.value unknown.`,
	}
	if diff := cmp.Diff(wantDiags, diagLines(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	r := resource(t, g, "x_leak.v")
	// Rules read the real values.
	want := `{"extracted":"` + secretKey + `","idx":"idxYes","number":"numNo","obj":"objYes","plain":"objNo","tags":{"Name":"` + secretKey + `"},"tried":"tryFallback"}`
	if got := jsonOf(r.Values); got != want {
		t.Errorf("values = %s, want %s", got, want)
	}
	wantSensitive := `{"extracted":true,"idx":true,"number":true,"obj":true,"tags":true,"tried":true}`
	if got := jsonOf(r.Sensitive); got != wantSensitive {
		t.Errorf("sensitive = %s, want %s", got, wantSensitive)
	}
	assertNothingShown(t, g, secretKey, "idxYes", "objYes", "tryFallback", "numNo")
}

// The taint is by reference: reading a part of a value that holds no
// secret is not sensitive, reading the part that does is.
func TestSensitiveTaintFollowsReferences(t *testing.T) {
	e := &evaluator{st: &loadState{pos: newPositions()}}
	ctx := map[string]cty.Value{
		"local": cty.ObjectVal(map[string]cty.Value{
			"cfg": cty.ObjectVal(map[string]cty.Value{
				"pw":   cty.StringVal("s").Mark(sensitiveMark{}),
				"name": cty.StringVal("n"),
			}),
		}),
	}
	for src, want := range map[string]bool{
		`local.cfg.name`:                    false,
		`local.cfg.pw`:                      true,
		`local.cfg`:                         true,
		`[for k, v in local.cfg : k]`:       true,
		`can(local.cfg.pw) ? "a" : "b"`:     true,
		`{a = 1}[local.cfg.pw]`:             true,
		`upper(local.cfg.name)`:             false,
		`sensitive("x")`:                    true,
		`try(local.cfg.pw, local.cfg.name)`: true,
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", src, diags.Error())
		}
		if got := e.inputsSensitive(expr, &hcl.EvalContext{Variables: ctx}, nil); got != want {
			t.Errorf("inputsSensitive(%s) = %v, want %v", src, got, want)
		}
	}
}

// Values from the environment (TF_VAR_) and -var belong to the CI job, not
// the repository: they are sensitive in every root, whatever the
// declaration says, and nonsensitive() does not unmark them (Portcullis
// never removes a mark). Values from variables files and defaults keep
// the declaration's sensitivity.
func TestCommandLineAndEnvironmentValuesAreSensitive(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf": `
variable "db_password" {}
variable "token" {}
variable "region" {}
variable "zone" {
  default = "zone-default"
}
resource "x_open" "o" {
  for_each = toset([var.db_password])
  name     = "o"
}
resource "x_attrs" "a" {
  password = var.db_password
  token    = nonsensitive(var.token)
  upper    = upper(nonsensitive(var.token))
  region   = var.region
  zone     = var.zone
}
`,
		"m/terraform.tfvars": `region = "eu-west-1"`,
	}), "m", Options{
		Env:  map[string]string{"TF_VAR_db_password": secretKey},
		Vars: []VarInput{{Name: "token", Value: secretText}},
	})
	if diff := cmp.Diff([]string{`x_attrs.a`, `x_open.o["(sensitive)"]`}, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	wantDiags := []string{
		`m/main.tf:8:14: error: Invalid for_each argument: Sensitive values, or values derived from sensitive values, cannot be used as for_each arguments: the instance keys and their number would show them. One representative instance is evaluated, under the key "(sensitive)", with each.key and each.value unknown.`,
	}
	if diff := cmp.Diff(wantDiags, diagLines(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	r := resource(t, g, "x_attrs.a")
	want := `{"password":"` + secretKey + `","region":"eu-west-1","token":"` + secretText + `","upper":"` + strings.ToUpper(secretText) + `","zone":"zone-default"}`
	if got := jsonOf(r.Values); got != want {
		t.Errorf("values = %s, want %s", got, want)
	}
	if got := jsonOf(r.Sensitive); got != `{"password":true,"token":true,"upper":true}` {
		t.Errorf("sensitive = %s", got)
	}
	// Only the file and the default leave origins (with their values).
	var origins []string
	r.ResolveProvenance()
	for p, os := range r.Origins {
		for _, o := range os {
			origins = append(origins, p+" "+o.Kind+" "+strings.Join(o.Values, ","))
		}
	}
	sort.Strings(origins)
	if diff := cmp.Diff([]string{"region vars-file eu-west-1", "zone variable-default zone-default"}, origins); diff != "" {
		t.Errorf("origins (-want +got):\n%s", diff)
	}
	assertNothingShown(t, g, secretKey, secretText)
}

// The number of instances of a sensitive count or for_each, and of blocks
// of a dynamic block over a sensitive collection, does not depend on the
// secret: one representative each, so the number of findings cannot
// count the secret out.
func TestSensitiveExpansionSizeIsHidden(t *testing.T) {
	files := map[string]string{
		"m/main.tf": `
variable "pw" {
  type      = string
  sensitive = true
}
locals {
  chars = split("", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
  n     = index(local.chars, substr(var.pw, 0, 1)) + 1
}
resource "x_count" "c" {
  count = local.n
  name  = "c${count.index}"
}
resource "x_each" "e" {
  for_each = toset(slice(local.chars, 0, local.n))
  name     = each.key
}
resource "x_dyn" "d" {
  dynamic "rule" {
    for_each = range(local.n)
    content {
      cidr = "0.0.0.0/0"
      n    = rule.value
    }
  }
}
module "m" {
  source = "./child"
  count  = local.n
}
`,
		"m/child/main.tf": `resource "x_child" "c" { name = "child" }`,
	}
	shown := func(pw string) string {
		g := LoadModule(mapFS(files), "m", Options{Vars: []VarInput{{File: "s.tfvars", Content: []byte(`pw = "` + pw + `"`)}}})
		assertNothingShown(t, g, pw)
		return strings.Join(addresses(g), "\n") + "\n" + strings.Join(diagLines(g), "\n") + "\n" + shownValues(g)
	}
	a, z := shown("aSecret"), shown("ZSecret")
	if diff := cmp.Diff(a, z); diff != "" {
		t.Errorf("the output depends on the secret (-a +Z):\n%s", diff)
	}
	want := strings.Join([]string{
		`module.m["(sensitive)"].x_child.c`,
		`x_count.c["(sensitive)"]`,
		`x_dyn.d`,
		`x_each.e["(sensitive)"]`,
	}, "\n")
	if !strings.HasPrefix(a, want+"\n") {
		t.Errorf("output:\n%s\nwant addresses\n%s", a, want)
	}
	if n := strings.Count(a, `"cidr":"0.0.0.0/0"`); n != 1 {
		t.Errorf("%d dynamic blocks shown, want 1:\n%s", n, a)
	}
}

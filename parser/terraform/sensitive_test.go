package terraform

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// The secrets of these tests: each is the value of a sensitive variable (or
// of sensitive()), never written in a .tf file.
const (
	secretKey   = "Hunter2Key"
	secretText  = "CorrectHorseBattery"
	secretBool  = "MaybeYesNo"
	secretCIDR  = "10.77.0.0/33"
	secretRegex = "SecretPat[tern"
	secretCIDR1 = "10.66.0.0/16"
	secretCIDR2 = "10.99.0.0/16"
)

// leakForms are the forms of a secret that must never appear: as written,
// upper- and lower-cased, base64 and hex encoded.
func leakForms(secret string) []string {
	return []string{
		secret, strings.ToUpper(secret), strings.ToLower(secret),
		base64.StdEncoding.EncodeToString([]byte(secret)),
		base64.RawURLEncoding.EncodeToString([]byte(secret)),
		hex.EncodeToString([]byte(secret)), strings.ToUpper(hex.EncodeToString([]byte(secret))),
	}
}

// visibleParts is everything of a graph that reaches an output other than
// the values themselves (which rules read, and writers print only through
// the sensitive tree): addresses, diagnostics, origins, callers, ranges,
// references, meta, files, ignores.
func visibleParts(g *graph.Graph) string {
	type res struct {
		Address      string
		Module       string
		Range        graph.Range
		Ranges       map[string]graph.Range
		Origins      map[string][]graph.Origin
		Callers      []graph.Origin
		Refs         []graph.Ref
		ReferencedBy []graph.Ref
		Meta         map[string]any
	}
	var rs []res
	for _, r := range g.Resources {
		r.ResolveProvenance()
		rs = append(rs, res{r.Address, r.Module, r.Range, r.Ranges, r.Origins, r.Callers, r.Refs, r.ReferencedBy, r.Meta})
	}
	b, err := json.Marshal(struct {
		Resources   []res
		Diagnostics []graph.Diagnostic
		Files       []string
		Root        string
		Ignores     []graph.Ignore
	}{rs, g.Diagnostics, g.Files, g.Root, g.Ignores})
	if err != nil {
		panic(err)
	}
	var s strings.Builder
	s.Write(b)
	for _, d := range g.Diagnostics {
		s.WriteString("\n" + d.String())
	}
	return s.String()
}

// assertNoSecret fails when any form of any secret appears in the visible
// parts of g, with a JSON escape-insensitive check as well.
func assertNoSecret(t *testing.T, g *graph.Graph, secrets ...string) {
	t.Helper()
	dump := visibleParts(g)
	unescaped := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&", `\"`, `"`, `\\`, `\`).Replace(dump)
	for _, secret := range secrets {
		for _, form := range leakForms(secret) {
			for _, text := range []string{dump, unescaped} {
				if i := strings.Index(text, form); i >= 0 {
					t.Errorf("the secret %q appears (as %q) in the graph: ...%s...", secret, form, text[max(0, i-300):min(len(text), i+100)])
					return
				}
			}
		}
	}
}

func diagLines(g *graph.Graph) []string {
	var out []string
	for _, d := range g.Diagnostics {
		out = append(out, d.String())
	}
	return out
}

// Function errors on sensitive values name the function and the argument,
// never the value; they are warnings, as they only leave a value unknown.
func TestSensitiveValuesInFunctionErrors(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf": `
variable "flag" {
  sensitive = true
}
variable "count_text" {
  sensitive = true
}
variable "cidr" {
  sensitive = true
}
variable "pattern" {
  sensitive = true
}
variable "names" {
  type      = list(string)
  sensitive = true
}
variable "plain" {
  default = "plain-value"
}
resource "x_thing" "t" {
  a = tobool(var.flag)
  b = tonumber(upper(var.count_text))
  c = cidrhost(var.cidr, 1)
  d = regex(var.pattern, "x")
  e = { for n in var.names : n => 1 }
  f = tobool(sensitive("` + secretText + `x"))
  g = [for n in ["a"] : tonumber(var.plain)]
  h = "${var.flag}-${tobool(var.plain)}"
}
`,
	}), "m", Options{Env: map[string]string{
		"TF_VAR_flag":       secretBool,
		"TF_VAR_count_text": secretText,
		"TF_VAR_cidr":       secretCIDR,
		"TF_VAR_pattern":    secretRegex,
		"TF_VAR_names":      `["` + secretKey + `", "` + secretKey + `"]`,
	}})
	want := []string{
		`m/main.tf:21:14: warning: Invalid function argument: Invalid value for argument 1 of tobool: the value is sensitive and is not shown.`,
		`m/main.tf:22:16: warning: Invalid function argument: Invalid value for argument 1 of tonumber: the value is sensitive and is not shown.`,
		`m/main.tf:23:7: warning: Error in function call: Call to function cidrhost failed: argument 1 is sensitive, so the details are not shown.`,
		`m/main.tf:24:13: warning: Invalid function argument: Invalid value for argument 1 of regex: the value is sensitive and is not shown.`,
		`m/main.tf:25:30: warning: Duplicate object key: The details are not shown because they involve a sensitive value.`,
		`m/main.tf:26:14: warning: Invalid function argument: Invalid value for argument 1 of tobool: the value is sensitive and is not shown.`,
		// Not sensitive: the value is shown.
		`m/main.tf:27:34: warning: Invalid function argument: Invalid value for "v" parameter: cannot convert "plain-value" to number; given string must be a decimal representation of a number.`,
		// An expression that uses a sensitive value hides every detail.
		`m/main.tf:28:29: warning: Invalid function argument: Invalid value for argument 1 of tobool; the details are not shown because the expression involves a sensitive value.`,
	}
	if diff := cmp.Diff(want, diagLines(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	assertNoSecret(t, g, secretKey, secretText, secretBool, secretCIDR, secretRegex)
}

// A sensitive for_each or count is an error, as in Terraform; it expands
// to one representative instance (key "(sensitive)") whatever the size of
// the collection, so neither a key nor the number of instances reaches
// the output; a dynamic block over a sensitive collection likewise.
func TestSensitiveForEachAndCount(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf": `
variable "zones" {
  type      = map(string)
  sensitive = true
}
variable "n" {
  type      = number
  sensitive = true
}
variable "pick" {
  type      = string
  sensitive = true
}
resource "aws_security_group_rule" "r" {
  for_each    = var.zones
  description = each.key
  cidr_blocks = [each.value]
}
resource "aws_instance" "c" {
  count = var.n
  index = count.index
  ami   = "ami-1"
}
resource "x_ref" "one" {
  target = aws_security_group_rule.r[var.pick].id
}
resource "x_ref" "all" {
  for_each = aws_security_group_rule.r
  name     = "x"
}
module "m" {
  source   = "./child"
  for_each = var.zones
  cidr     = each.value
}
resource "x_dyn" "d" {
  dynamic "rule" {
    for_each = var.zones
    content {
      key  = rule.key
      cidr = rule.value
    }
  }
}
`,
		"m/child/main.tf": `
variable "cidr" {}
resource "aws_vpc" "v" {
  cidr_block = var.cidr
}
`,
	}), "m", Options{Env: map[string]string{
		"TF_VAR_zones": `{"` + secretKey + `" = "` + secretCIDR1 + `", "` + secretText + `" = "` + secretCIDR2 + `"}`,
		"TF_VAR_n":     "2",
		"TF_VAR_pick":  secretKey,
	}})
	wantAddrs := []string{
		`aws_instance.c["(sensitive)"]`,
		`aws_security_group_rule.r["(sensitive)"]`,
		`module.m["(sensitive)"].aws_vpc.v`,
		`x_dyn.d`,
		`x_ref.all["(sensitive)"]`,
		`x_ref.one`,
	}
	if diff := cmp.Diff(wantAddrs, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	wantDiags := []string{
		`m/main.tf:14:17: error: Invalid for_each argument: Sensitive values, or values derived from sensitive values, cannot be used as for_each arguments: the instance keys and their number would show them. One representative instance is evaluated, under the key "(sensitive)", with each.key and each.value unknown.`,
		`m/main.tf:19:11: error: Invalid count argument: Sensitive values, or values derived from sensitive values, cannot be used as count arguments: the number of instances would show them. One representative instance is evaluated, under the key "(sensitive)", with count.index unknown.`,
		`m/main.tf:27:14: error: Invalid for_each argument: Sensitive values, or values derived from sensitive values, cannot be used as for_each arguments: the instance keys and their number would show them. One representative instance is evaluated, under the key "(sensitive)", with each.key and each.value unknown.`,
		`m/main.tf:32:14: error: Invalid for_each argument: Sensitive values, or values derived from sensitive values, cannot be used as for_each arguments: the instance keys and their number would show them. One representative instance is evaluated, under the key "(sensitive)", with each.key and each.value unknown.`,
		`m/main.tf:37:16: error: Invalid dynamic block for_each argument: The collection of this dynamic block is sensitive, or derived from a sensitive value: the number of blocks would show it. One representative block is evaluated, with the iterator's key and value unknown, so rules cannot judge the blocks it stands for.`,
	}
	if diff := cmp.Diff(wantDiags, diagLines(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	// One representative instance (or block) each: what comes from the
	// key or the element is unknown, and sensitive.
	for addr, want := range map[string][3]string{
		`aws_instance.c["(sensitive)"]`:            {`{"ami":"ami-1"}`, `{"index":true}`, `{"index":true}`},
		`aws_security_group_rule.r["(sensitive)"]`: {`{"cidr_blocks":[null]}`, `{"cidr_blocks":[true],"description":true}`, `{"cidr_blocks":true,"description":true}`},
		`module.m["(sensitive)"].aws_vpc.v`:        {`{}`, `{"cidr_block":true}`, `{"cidr_block":true}`},
		`x_dyn.d`:                                  {`{"rule":[{}]}`, `{"rule":[{"cidr":true,"key":true}]}`, `{"rule":[{"cidr":true,"key":true}]}`},
		`x_ref.all["(sensitive)"]`:                 {`{"name":"x"}`, `{}`, `{}`},
		`x_ref.one`:                                {`{}`, `{"target":true}`, `{"target":true}`},
	} {
		r := resource(t, g, addr)
		if got := [3]string{jsonOf(r.Values), jsonOf(r.Unknown), jsonOf(r.Sensitive)}; got != want {
			t.Errorf("%s values, unknown, sensitive = %s, want %s", addr, got, want)
		}
	}
	// The edge through a sensitive index goes to the representative.
	var targets []string
	for _, ref := range resource(t, g, "x_ref.one").Refs {
		targets = append(targets, ref.Target)
	}
	if diff := cmp.Diff([]string{`aws_security_group_rule.r["(sensitive)"]`}, targets); diff != "" {
		t.Errorf("refs (-want +got):\n%s", diff)
	}
	assertNoSecret(t, g, secretKey, secretText, secretCIDR1, secretCIDR2)
}

// Origins carry no sensitive scalar and no path through a sensitive key;
// problems with the value of a sensitive variable do not show it.
func TestSensitiveValuesInOriginsAndVariables(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf": `
variable "key" {
  sensitive = true
}
variable "region" {
  default = "eu-west-1"
}
variable "port" {
  type      = number
  sensitive = true
}
variable "ports" {
  type      = list(number)
  sensitive = true
}
variable "obj" {
  type      = object({ a = string })
  sensitive = true
}
module "c" {
  source = "./child"
  cidr   = var.key
}
resource "x_thing" "t" {
  tags  = { (var.key) = var.region }
  port  = var.port
  ports = var.ports
  obj   = var.obj
  out   = module.c.out
}
`,
		"m/child/main.tf": `
variable "cidr" {}
output "out" {
  value     = var.cidr
  sensitive = true
}
resource "aws_vpc" "v" {
  cidr_block = var.cidr
}
`,
	}), "m", Options{Env: map[string]string{
		"TF_VAR_key":   secretKey,
		"TF_VAR_port":  secretText,
		"TF_VAR_ports": "[" + secretBool + "(]",
		"TF_VAR_obj":   `{b = "` + secretRegex + `"}`,
	}})
	wantDiags := []string{
		`m/main.tf:7:1: warning: invalid value for variable: var.port: the value given by environment variable TF_VAR_port is not valid HCL; it is sensitive and is not shown`,
		`m/main.tf:11:1: warning: invalid value for variable: var.ports: the value given by environment variable TF_VAR_ports is not valid HCL; it is sensitive and is not shown`,
		`m/main.tf:15:1: warning: invalid value for variable: var.obj: the value given by environment variable TF_VAR_obj is not valid for its type; it is sensitive and is not shown`,
	}
	if diff := cmp.Diff(wantDiags, diagLines(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	r := resource(t, g, "x_thing.t")
	if got, want := jsonOf(r.Sensitive), `{"obj":true,"out":true,"port":true,"ports":true,"tags":true}`; got != want {
		t.Errorf("sensitive = %s, want %s", got, want)
	}
	if got, want := jsonOf(r.Values["tags"]), `{"`+secretKey+`":"eu-west-1"}`; got != want {
		t.Errorf("tags = %s, want %s", got, want)
	}
	// The origin of a value under a sensitive key is recorded at the
	// sensitive container.
	var paths []string
	r.ResolveProvenance()
	for p := range r.Origins {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if diff := cmp.Diff([]string{"out", "tags"}, paths); diff != "" {
		t.Errorf("origin paths (-want +got):\n%s", diff)
	}
	assertNoSecret(t, g, secretKey, secretText, secretBool, secretRegex)
}

// A sensitive module output and sensitive() taint what they reach: a
// for_each over them is an error too, and the keys stay hidden.
func TestSensitiveOutputsAndFunctionInExpansions(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf": `
module "c" {
  source = "./c"
}
resource "x_a" "a" {
  for_each = module.c.names
  name     = each.key
}
resource "x_b" "b" {
  count = length(sensitive(["` + secretKey + `"]))
}
resource "x_c" "c" {
  for_each = toset([sensitive("` + secretText + `")])
}
`,
		"m/c/main.tf": `
output "names" {
  value     = toset(["` + secretKey + `"])
  sensitive = true
}
`,
	}), "m", Options{})
	want := []string{`x_a.a["(sensitive)"]`, `x_b.b["(sensitive)"]`, `x_c.c["(sensitive)"]`}
	if diff := cmp.Diff(want, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	wantDiags := []string{
		`m/main.tf:5:14: error: Invalid for_each argument: Sensitive values, or values derived from sensitive values, cannot be used as for_each arguments: the instance keys and their number would show them. One representative instance is evaluated, under the key "(sensitive)", with each.key and each.value unknown.`,
		`m/main.tf:9:11: error: Invalid count argument: Sensitive values, or values derived from sensitive values, cannot be used as count arguments: the number of instances would show them. One representative instance is evaluated, under the key "(sensitive)", with count.index unknown.`,
		`m/main.tf:12:14: error: Invalid for_each argument: Sensitive values, or values derived from sensitive values, cannot be used as for_each arguments: the instance keys and their number would show them. One representative instance is evaluated, under the key "(sensitive)", with each.key and each.value unknown.`,
	}
	if diff := cmp.Diff(wantDiags, diagLines(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if r := resource(t, g, `x_a.a["(sensitive)"]`); jsonOf(r.Unknown) != `{"name":true}` || jsonOf(r.Sensitive) != `{"name":true}` {
		t.Errorf("unknown = %s, sensitive = %s", jsonOf(r.Unknown), jsonOf(r.Sensitive))
	}
	// The secrets are written in this module's source, which is not a
	// leak; the visible parts of the graph must still not repeat them.
	assertNoSecret(t, g, secretKey, secretText)
}

// BenchmarkTaintOfFailingExpressions: 1,000 instances whose expression
// fails, each reading a local of 50,000 strings (and a sensitive variable
// in the tainted case). Whether a diagnostic may show its values is known
// from stored values, not by walking the local each time.
func BenchmarkTaintOfFailingExpressions(b *testing.B) {
	for _, sensitive := range []string{"false", "true"} {
		b.Run("sensitive="+sensitive, func(b *testing.B) {
			fsys := mapFS(map[string]string{"m/main.tf": `
variable "s" {
  default   = "x"
  sensitive = ` + sensitive + `
}
locals {
  big = flatten([for i in range(1000) : [for j in range(50) : "item-${i}-${j}"]])
}
resource "x" "a" {
  count = 1000
  v     = tobool("${local.big[count.index]}${var.s}")
}
`})
			for b.Loop() {
				if g := LoadModule(fsys, "m", Options{}); len(g.Resources) != 1000 {
					b.Fatalf("%d resources", len(g.Resources))
				}
			}
		})
	}
}

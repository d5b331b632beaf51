package terraform

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
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
// references, meta, suppressions, files.
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
		Suppressions []graph.Suppression
	}
	var rs []res
	for _, r := range g.Resources {
		rs = append(rs, res{r.Address, r.Module, r.Range, r.Ranges, r.Origins, r.Callers, r.Refs, r.ReferencedBy, r.Meta, r.Suppressions})
	}
	b, err := json.Marshal(struct {
		Resources   []res
		Diagnostics []graph.Diagnostic
		Files       []string
		Root        string
	}{rs, g.Diagnostics, g.Files, g.Root})
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
			if strings.Contains(dump, form) || strings.Contains(unescaped, form) {
				t.Errorf("the secret %q appears (as %q) in the graph:\n%s", secret, form, dump)
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

package policies

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

const secret = "Hunter2-Secret"

// secretForms are the spellings of the secret (and of the sensitive port
// and tag key) that must appear nowhere in the output.
func secretForms() []string {
	var forms []string
	for _, s := range []string{secret, "SecretKey", "48213"} {
		forms = append(forms, s, strings.ToUpper(s), strings.ToLower(s),
			base64.StdEncoding.EncodeToString([]byte(s)), base64.RawStdEncoding.EncodeToString([]byte(s)),
			base64.URLEncoding.EncodeToString([]byte(s)), hex.EncodeToString([]byte(s)))
	}
	return append(forms, "Hunter", "HUNTER", "hunter")
}

// appGraph adds to openGroup an application whose token, port and tags are
// sensitive (the tags wholly: keys too).
func appGraph() *graph.Graph {
	g := openGroup()
	rg := graph.Range{File: "app.tf", Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 20}}
	tokenRange := graph.Range{File: "app.tf", Start: graph.Pos{Line: 2, Column: 11}, End: graph.Pos{Line: 2, Column: 20}}
	tagsRange := graph.Range{File: "app.tf", Start: graph.Pos{Line: 4, Column: 3}, End: graph.Pos{Line: 4, Column: 20}}
	g.Resources = append(g.Resources, &graph.Resource{
		Address: "x_app.a", Mode: "managed", Type: "x_app", Name: "a", Format: graph.FormatTerraform, Range: rg,
		Values:    map[string]any{"token": secret, "port": json.Number("48213"), "tags": map[string]any{"SecretKey": "v"}, "name": "a"},
		Sensitive: map[string]any{"token": true, "port": true, "tags": true},
		Ranges:    map[string]graph.Range{"": rg, "token": tokenRange, "tags": tagsRange},
	})
	g.Link()
	return g
}

func appRule(id, pkg, head string) string {
	return header(id, pkg) + "deny contains " + head + " if {\n\tsome r in input.resources\n\tr.type == \"x_app\"\n}\n"
}

func TestSensitiveValuesNeverReachTheOutput(t *testing.T) {
	files := map[string]string{
		"upper.rego":  appRule("ACME-010", "acme.upper", `{"resource": r.address, "attribute": "token", "message": sprintf("token is %s", [upper(r.values.token)])}`),
		"base64.rego": appRule("ACME-011", "acme.b64", `{"resource": r.address, "attribute": "token", "message": sprintf("token is %s", [base64.encode(r.values.token)])}`),
		"concat.rego": appRule("ACME-012", "acme.concat", `{"resource": r.address, "attribute": "token", "message": concat("", ["header Bearer ", r.values.token, "!"])}`),
		// The message does not depend on the token: reported as written.
		"plain.rego": appRule("ACME-013", "acme.plain", `{"resource": r.address, "attribute": "token", "message": sprintf("%s has a token", [r.address])}`),
		// The finding exists only because of the real value: its message is
		// withheld.
		"judge.rego": header("ACME-014", "acme.judge") + `deny contains {"resource": r.address, "attribute": "token", "message": "weak token"} if {
	some r in input.resources
	startswith(r.values.token, "Hunter")
}
`,
		"port.rego":      appRule("ACME-015", "acme.port", `{"resource": r.address, "attribute": "port", "message": sprintf("listens on %v", [r.values.port])}`),
		"arith.rego":     appRule("ACME-016", "acme.arith", `{"resource": r.address, "attribute": "port", "message": sprintf("next port %v", [r.values.port + 1])}`),
		"tagkey.rego":    header("ACME-017", "acme.tagkey") + "deny contains {\"resource\": r.address, \"attribute\": concat(\".\", [\"tags\", k]), \"message\": sprintf(\"tag %s is set\", [k])} if {\n\tsome r in input.resources\n\tsome k, _ in r.values.tags\n\tr.type == \"x_app\"\n}\n",
		"error.rego":     appRule("ACME-018", "acme.error", `{"resource": r.address, "attribute": "", "message": sprintf("%v", [to_number(r.values.token)])}`),
		"malformed.rego": appRule("ACME-019", "acme.malformed", `{"resource": r.values.token, "attribute": "", "message": "m"}`),
		// A finding on another resource that quotes the secret.
		"other.rego": header("ACME-020", "acme.other") + `deny contains {"resource": "x_bucket.b", "attribute": "bucket", "message": sprintf("%s is not %s", [b.values.bucket, r.values.token])} if {
	some r in input.resources
	r.type == "x_app"
	b := input.resources["x_bucket.b"]
}
`,
		"owner.rego": ownerRule,
	}
	fs, ds := evaluate(t, Options{}, appGraph(), files)
	app := func(id, attr, msg string, line, col, endCol int) finding.Finding {
		return finding.Finding{RuleID: id, Severity: finding.High, Message: msg, Resource: "x_app.a", Type: "x_app", Attribute: attr, Root: "net",
			Location: finding.Location{Range: graph.Range{File: "app.tf", Start: graph.Pos{Line: line, Column: col}, End: graph.Pos{Line: line, Column: endCol}}},
			Blocks:   []graph.Range{{File: "app.tf", Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 20}}}, Key: attr}
	}
	withheld := func(id string) string {
		return "Rule " + id + " (the message is withheld: it is computed from a sensitive value)"
	}
	want := []finding.Finding{
		app("ACME-015", "port", "listens on (sensitive)", 1, 1, 20),
		app("ACME-016", "port", withheld("ACME-016"), 1, 1, 20),
		app("ACME-010", "token", "token is (sensitive)", 2, 11, 20),
		app("ACME-011", "token", withheld("ACME-011"), 2, 11, 20),
		app("ACME-012", "token", "header Bearer (sensitive)!", 2, 11, 20),
		app("ACME-013", "token", "x_app.a has a token", 2, 11, 20),
		app("ACME-014", "token", withheld("ACME-014"), 2, 11, 20),
		// The attribute the rule built from the sensitive key is cut to the
		// structure ("tags"); the location is the one of the path it named.
		app("ACME-017", "tags", withheld("ACME-017"), 4, 3, 20),
		sshFinding,
		{RuleID: "ACME-020", Severity: finding.High, Message: "abc is not (sensitive)", Resource: "x_bucket.b", Type: "x_bucket", Attribute: "bucket", Root: "net",
			Location: finding.Location{Range: graph.Range{File: "main.tf", Start: graph.Pos{Line: 11, Column: 3}, End: graph.Pos{Line: 11, Column: 20}}},
			Blocks:   []graph.Range{{File: "main.tf", Start: graph.Pos{Line: 10, Column: 3}, End: graph.Pos{Line: 10, Column: 20}}}, Key: "bucket"},
		ownerFinding,
	}
	if diff := cmp.Diff(want, fs); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	wantDiags := []string{
		"net: rule ACME-018 failed on net: acme/error.rego:8:82: eval_builtin_error: the error message is withheld: it may quote a sensitive value (rule acme/error.rego); its findings for this root are not reported",
		"net: rule ACME-019 returned a malformed result: the details are withheld: they are computed from a sensitive value (acme/malformed.rego, evaluating net)",
	}
	if diff := cmp.Diff(wantDiags, ds); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	out := fmt.Sprintf("%#v %#v", fs, ds)
	for _, form := range secretForms() {
		if strings.Contains(out, form) {
			t.Errorf("the output holds %q", form)
		}
	}
}

func TestSensitiveCIDRStillOpensIngress(t *testing.T) {
	g := openGroup()
	g.Resource("aws_security_group.a").Sensitive = map[string]any{"ingress": []any{map[string]any{"cidr_blocks": true}}}
	fs, ds := evaluate(t, Options{}, g, nil)
	want := sshFinding
	want.Message = "Network ingress open to the internet (the message is withheld: it is computed from a sensitive value)"
	// The key digests the masked values: never the sensitive CIDR.
	want.Key = "ingress[" + sum(`{"cidr_blocks":"(sensitive)","description":"ssh","from_port":22,"protocol":"TCP","to_port":22}`) +
		"].cidr_blocks[" + sum(`"(sensitive)"`) + "]"
	if diff := cmp.Diff([]finding.Finding{want}, fs); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if len(ds) != 0 {
		t.Errorf("diagnostics: %q", ds)
	}
}

func TestSensitiveProtocolIsShownAsSensitive(t *testing.T) {
	g := openGroup()
	g.Resource("aws_security_group.a").Sensitive = map[string]any{"ingress": []any{map[string]any{"protocol": true}}}
	fs, ds := evaluate(t, Options{}, g, nil)
	// The severity is the rule's judgement with the real protocol (TCP,
	// SSH: critical); the message cannot say TCP.
	want := sshFinding
	want.Message = "Security group rule aws_security_group.a ingress.0 allows 0.0.0.0/0 to protocol (sensitive)"
	want.Key = "ingress[" + sum(`{"cidr_blocks":["0.0.0.0/0"],"description":"ssh","from_port":22,"protocol":"(sensitive)","to_port":22}`) +
		"].cidr_blocks[" + sum(`"0.0.0.0/0"`) + "]"
	if diff := cmp.Diff([]finding.Finding{want}, fs); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if len(ds) != 0 {
		t.Errorf("diagnostics: %q", ds)
	}
}

func TestSafePath(t *testing.T) {
	res := &graph.Resource{
		Values: map[string]any{
			"ingress": []any{map[string]any{"cidr_blocks": []any{"10.0.0.0/8"}}},
			"tags":    map[string]any{"SecretKey": "v", "Nested": map[string]any{"k": "v"}},
			"list":    []any{"a", "b"},
		},
		Unknown:   map[string]any{"subnet": true, "block": map[string]any{"inner": true}},
		Sensitive: map[string]any{"tags": true, "list": true, "ingress": []any{map[string]any{"cidr_blocks": true}}},
	}
	tests := map[string]string{
		"":                        "",
		"ingress.0.cidr_blocks.0": "ingress.0.cidr_blocks.0", // indexes in a sensitive list are positions
		"ingress.1":               "ingress",
		"ingress.00":              "ingress",
		"tags":                    "tags",
		"tags.SecretKey":          "tags",
		"tags.Nested.k":           "tags",
		"list.1":                  "list.1",
		"subnet":                  "subnet",
		"block.inner":             "block.inner",
		"missing.x":               "",
	}
	for path, want := range tests {
		if got := safePath(res, path); got != want {
			t.Errorf("safePath(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestMask(t *testing.T) {
	c := newCanaries(12, 15)
	values := map[string]any{
		"plain": "x",
		"list":  []any{"a", json.Number("1"), true},
		"map":   map[string]any{"k": []any{"v"}},
		"n":     nil,
	}
	masked := c.mask(values, map[string]any{"list": []any{true, true, false}, "map": true, "n": true})
	b, _ := json.Marshal(masked)
	got := c.replace(string(b))
	want := `{"list":["(sensitive)",(sensitive),true],"map":{"(sensitive)":["(sensitive)"]},"n":"(sensitive)","plain":"x"}`
	if got != want {
		t.Errorf("masked = %s\nwant     %s", got, want)
	}
	if values["list"].([]any)[0] != "a" {
		t.Error("mask changed its input")
	}
	// Upper-cased canaries are replaced too; other spellings are not.
	s := c.strs[0]
	if got := c.replace(strings.ToUpper(s) + " " + s + "x"); got != "(sensitive) (sensitive)x" {
		t.Errorf("replace = %q", got)
	}
}

func TestHasSensitive(t *testing.T) {
	tests := []struct {
		values, sensitive map[string]any
		want              bool
	}{
		{map[string]any{"a": "x"}, map[string]any{"a": true}, true},
		{map[string]any{"a": "x"}, map[string]any{"b": true}, false}, // sensitive but unknown: not in the input
		{map[string]any{"a": "x"}, map[string]any{"a": false}, false},
		{map[string]any{"l": []any{"x"}}, map[string]any{"l": []any{false, true}}, false},
		{map[string]any{"l": []any{"x", "y"}}, map[string]any{"l": []any{false, true}}, true},
		{map[string]any{"o": map[string]any{"k": "v"}}, map[string]any{"o": map[string]any{"k": true}}, true},
		{nil, nil, false},
	}
	for _, tt := range tests {
		g := &graph.Graph{Resources: []*graph.Resource{{Address: "x.a", Values: tt.values, Sensitive: tt.sensitive}}}
		if got := hasSensitive(g); got != tt.want {
			t.Errorf("hasSensitive(%v, %v) = %v, want %v", tt.values, tt.sensitive, got, tt.want)
		}
	}
}

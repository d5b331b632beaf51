package policies

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

const userRule = `# METADATA
# title: Buckets must be named
# description: Every bucket needs a name.
# custom:
#   id: ACME-001
#   name: bucket-named
#   severity: low
#   controls: [SOC2:CC6.1]
#   remediation: Name it.
#   resource_types: [aws_s3_bucket]
package acme.bucket_named

deny contains {"resource": r.address, "attribute": "", "message": sprintf("%s has no bucket name", [r.address])} if {
	some r in input.resources
	r.type == "aws_s3_bucket"
	not r.values.bucket
	not r.unknown.bucket
}

deny contains {"resource": r.address, "attribute": "tags.Owner", "message": "owner tag is shared", "severity": "high"} if {
	some r in input.resources
	r.type == "aws_s3_bucket"
	r.values.tags.Owner == "shared"
}
`

func userSource(files map[string]string) Source {
	fsys := fstest.MapFS{}
	for n, s := range files {
		fsys[n] = &fstest.MapFile{Data: []byte(s)}
	}
	return Source{Name: "acme", FS: fsys}
}

func TestUserRuleFindingsResolveToRanges(t *testing.T) {
	eng, err := New(context.Background(), Options{Sources: []Source{userSource(map[string]string{"bucket.rego": userRule})}})
	if err != nil {
		t.Fatal(err)
	}
	rules := eng.Rules()
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
	}
	if diff := cmp.Diff([]string{"ACME-001", "PCS-AWS-001", "PCS-AWS-002", "PCS-AWS-003"}, ids); diff != "" {
		t.Fatalf("rule ids (-want +got):\n%s", diff)
	}
	if r := rules[0]; r.Title != "Buckets must be named" || r.Severity != finding.Low || r.Package != "acme.bucket_named" ||
		r.File != "acme/bucket.rego" || r.Builtin || r.Precision != "high" || r.Name != "bucket-named" {
		t.Errorf("metadata = %+v", r)
	}
	block := graph.Range{File: "main.tf", Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 30}}
	tagRange := graph.Range{File: "main.tf", Start: graph.Pos{Line: 3, Column: 21}, End: graph.Pos{Line: 3, Column: 29}}
	origin := graph.Origin{Description: "variable default var.owner", Range: graph.Range{File: "vars.tf", Start: graph.Pos{Line: 2, Column: 13}}}
	g := &graph.Graph{Format: graph.FormatTerraform, Root: ".", Resources: []*graph.Resource{
		{Address: "aws_s3_bucket.a", Type: "aws_s3_bucket", Mode: "managed", Range: block,
			Values:  map[string]any{"tags": map[string]any{"Owner": "shared"}},
			Ranges:  map[string]graph.Range{"": block, "tags": tagRange, "tags.Owner": tagRange},
			Origins: map[string][]graph.Origin{"tags.Owner": {origin}}},
		{Address: "aws_s3_bucket.b", Type: "aws_s3_bucket", Mode: "managed", Range: block, Unknown: map[string]any{"bucket": true}},
	}}
	g.Link()
	fs, diags, err := eng.Evaluate(context.Background(), g)
	if err != nil || len(diags) != 0 {
		t.Fatalf("err %v diags %v", err, diags)
	}
	want := []finding.Finding{
		{RuleID: "ACME-001", Severity: finding.Low, Message: "aws_s3_bucket.a has no bucket name", Resource: "aws_s3_bucket.a",
			Type: "aws_s3_bucket", Root: ".", Location: finding.Location{Range: block}},
		{RuleID: "ACME-001", Severity: finding.High, Message: "owner tag is shared", Resource: "aws_s3_bucket.a",
			Type: "aws_s3_bucket", Attribute: "tags.Owner", Root: ".", Location: finding.Location{Range: tagRange, Related: []graph.Origin{origin}}},
	}
	if diff := cmp.Diff(want, fs); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestBrokenPoliciesAreClearErrors(t *testing.T) {
	withCustom := func(custom string) string {
		return "# METADATA\n# title: T\n# custom:\n" + custom + "package acme.r\n\ndeny contains {\"resource\": \"x\", \"attribute\": \"\", \"message\": \"m\"} if false\n"
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"missing id", map[string]string{"r.rego": withCustom("#   severity: high\n")},
			"acme/r.rego: METADATA custom.id is missing"},
		{"unknown severity", map[string]string{"r.rego": withCustom("#   id: A-1\n#   severity: severe\n")},
			`acme/r.rego: rule A-1: unknown severity "severe" (want critical, high, medium or low)`},
		{"unknown field", map[string]string{"r.rego": withCustom("#   id: A-1\n#   severity: high\n#   sevrity: high\n")},
			`acme/r.rego: METADATA custom: json: unknown field "sevrity"`},
		{"no annotation", map[string]string{"r.rego": "package acme.r\n\ndeny contains 1 if false\n"},
			"acme/r.rego: rule package data.acme.r has no package-scope METADATA annotation"},
		{"duplicate id", map[string]string{
			"a.rego": strings.Replace(withCustom("#   id: PCS-AWS-001\n#   severity: high\n"), "acme.r", "acme.a", 1)},
			"acme/a.rego: duplicate rule id PCS-AWS-001 (already used in builtin/aws/ec2/open_ingress.rego)"},
		{"syntax error", map[string]string{"r.rego": "package acme.r\n\ndeny contains if {\n"},
			"loading policies from acme: 3 errors occurred:\nacme/r.rego:3: rego_parse_error: unexpected if keyword"},
		{"input typo", map[string]string{"r.rego": strings.Replace(withCustom("#   id: A-1\n#   severity: high\n"), "if false", "if { some r in input.resource; r.type == \"x\" }", 1)},
			"undefined ref: input.resource"},
		{"deny not a partial set", map[string]string{"r.rego": strings.Replace(withCustom("#   id: A-1\n#   severity: high\n"), "deny contains {\"resource\": \"x\", \"attribute\": \"\", \"message\": \"m\"} if false", "deny := {\"x\"} if false", 1)},
			"acme/r.rego:8: deny must be a partial set rule"},
		{"strict mode", map[string]string{"r.rego": withCustom("#   id: A-1\n#   severity: high\n") + "import data.unused\n"},
			"compiling policies:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(context.Background(), Options{Sources: []Source{userSource(tt.files)}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestMalformedResultsAreDiagnostics(t *testing.T) {
	rule := `# METADATA
# title: T
# custom:
#   id: A-1
#   severity: high
package acme.r

deny contains {"resource": "nope", "attribute": "", "message": "m"}

deny contains {"resource": "x_a.a", "message": "m", "extra": 1}
`
	eng, err := New(context.Background(), Options{Sources: []Source{userSource(map[string]string{"r.rego": rule})}})
	if err != nil {
		t.Fatal(err)
	}
	g := &graph.Graph{Root: "r", Resources: []*graph.Resource{{Address: "x_a.a", Type: "x_a"}}}
	g.Link()
	fs, diags, err := eng.Evaluate(context.Background(), g)
	if err != nil || len(fs) != 0 {
		t.Fatalf("err %v findings %v", err, fs)
	}
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary+": "+d.Detail)
	}
	want := []string{
		`rule A-1 returned a malformed result: resource "nope" is not in the graph (acme/r.rego, evaluating r)`,
		`rule A-1 returned a malformed result: want {resource, attribute, message, severity}: json: unknown field "extra": {"extra":1,"message":"m","resource":"x_a.a"} (acme/r.rego, evaluating r)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestPoliciesCannotReachOutside(t *testing.T) {
	rule := `# METADATA
# title: T
# custom:
#   id: A-1
#   severity: high
package acme.r

deny contains {"resource": "x", "attribute": "", "message": sprintf("%v", [opa.runtime().env])}
`
	_, err := New(context.Background(), Options{Sources: []Source{userSource(map[string]string{"r.rego": rule})}})
	if err == nil || !strings.Contains(err.Error(), "opa.runtime") {
		t.Errorf("err = %v, want opa.runtime to be undefined", err)
	}
}

func TestSensitiveValuesNeverReachMessages(t *testing.T) {
	rule := `# METADATA
# title: T
# custom:
#   id: A-1
#   severity: high
package acme.r

deny contains {"resource": r.address, "attribute": "cidr_blocks.0", "message": sprintf("%s allows %v from %s", [r.address, r.values.port, r.values.cidr_blocks[0]])} if {
	some r in input.resources
}
`
	eng, err := New(context.Background(), Options{Sources: []Source{userSource(map[string]string{"r.rego": rule})}})
	if err != nil {
		t.Fatal(err)
	}
	g := &graph.Graph{Root: ".", Resources: []*graph.Resource{{Address: "x_a.a", Type: "x_a",
		Values:    map[string]any{"cidr_blocks": []any{"203.0.113.7/32"}, "port": json.Number("8443")},
		Sensitive: map[string]any{"cidr_blocks": []any{true}, "port": true}}}}
	g.Link()
	fs, _, err := eng.Evaluate(context.Background(), g)
	if err != nil || len(fs) != 1 {
		t.Fatalf("%v %v", err, fs)
	}
	if want := "x_a.a allows (sensitive) from (sensitive)"; fs[0].Message != want {
		t.Errorf("message = %q, want %q", fs[0].Message, want)
	}
}

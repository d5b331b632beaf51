package policies

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
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
	// The user rule sorts first, before the built-in ones (PCS-...).
	if len(rules) < 2 || rules[0].ID != "ACME-001" || !strings.HasPrefix(rules[1].ID, "PCS-") || !rules[1].Builtin {
		t.Fatalf("rules = %v", rules)
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
	all, diags, err := eng.Evaluate(context.Background(), g)
	if err != nil || len(diags) != 0 {
		t.Fatalf("err %v diags %v", err, diags)
	}
	fs := ofRule(all, "ACME-001") // the built-in S3 rules report these buckets too
	want := []finding.Finding{
		{RuleID: "ACME-001", Severity: finding.Low, Message: "aws_s3_bucket.a has no bucket name", Resource: "aws_s3_bucket.a",
			Type: "aws_s3_bucket", Root: ".", Location: finding.Location{Range: block}, Blocks: []graph.Range{block}},
		{RuleID: "ACME-001", Severity: finding.High, Message: "owner tag is shared", Resource: "aws_s3_bucket.a",
			Type: "aws_s3_bucket", Attribute: "tags.Owner", Root: ".", Location: finding.Location{Range: tagRange, Related: []graph.Origin{origin}},
			Blocks: []graph.Range{block}, Key: "tags.Owner"},
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

// ofRule returns the findings of one rule.
func ofRule(fs []finding.Finding, id string) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

// testRule is a rule of id reporting every resource of type typ, with the
// given resource_types (none: the rule runs on every graph) and extra
// custom METADATA lines.
func testRule(id, pkg, typ string, types []string, extra string) string {
	meta := fmt.Sprintf("# METADATA\n# title: Rule %s\n# custom:\n#   id: %s\n#   name: rule-%s\n#   severity: high\n", id, id, strings.ToLower(id))
	if len(types) > 0 {
		meta += "#   resource_types: [" + strings.Join(types, ", ") + "]\n"
	}
	meta += extra
	return meta + "package " + pkg + `

import data.portcullis.lib.helper

deny contains {"resource": r.address, "attribute": "", "message": helper.message(r)} if {
	some r in input.resources
	r.type == "` + typ + `"
}
`
}

// testBuiltin is a small built-in policy set: a library used by every rule,
// one used by none, and rules on t_a, t_b, and t_c (the last listing no
// types, so it runs on every graph).
func testBuiltin(extra map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"lib/helper.rego": {Data: []byte("package portcullis.lib.helper\n\nmessage(r) := sprintf(\"%s is here\", [r.address])\n")},
		"lib/unused.rego": {Data: []byte("package portcullis.lib.unused\n\nanswer := 42\n")},
		"p/a.rego":        {Data: []byte(testRule("PCS-T-001", "portcullis.p.a", "t_a", []string{"t_a"}, ""))},
		"p/b.rego":        {Data: []byte(testRule("PCS-T-002", "portcullis.p.b", "t_b", []string{"t_b", "t_b2"}, ""))},
		"p/c.rego":        {Data: []byte(testRule("PCS-T-003", "portcullis.p.c", "t_c", nil, ""))},
	}
	for n, s := range extra {
		fsys[n] = &fstest.MapFile{Data: []byte(s)}
	}
	return fsys
}

func graphOf(types ...string) *graph.Graph {
	g := &graph.Graph{Root: "r"}
	for i, typ := range types {
		g.Resources = append(g.Resources, &graph.Resource{Address: fmt.Sprintf("%s.r%d", typ, i), Type: typ, Mode: "managed"})
	}
	g.Link()
	return g
}

func ruleIDs(fs []finding.Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.RuleID+" "+f.Resource)
	}
	return ids
}

// compiledModules lists the modules of the engine's latest compilation.
func compiledModules(e *Engine) []string {
	var out []string
	if st := e.state.Load(); st != nil {
		for m, ok := range st.has {
			if ok {
				out = append(out, e.mods[m].name)
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestRulesRunAndCompileOnlyForTheirTypes(t *testing.T) {
	ctx := context.Background()
	withBuiltin(t, testBuiltin(nil), func() {
		eng, err := New(ctx, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := compiledModules(eng); len(got) != 0 {
			t.Errorf("New compiled %v, want nothing", got)
		}
		fs, ds, err := eng.Evaluate(ctx, graphOf("t_a", "t_c", "t_x"))
		if err != nil || len(ds) != 0 {
			t.Fatal(err, ds)
		}
		if diff := cmp.Diff([]string{"PCS-T-001 t_a.r0", "PCS-T-003 t_c.r1"}, ruleIDs(fs)); diff != "" {
			t.Errorf("findings (-want +got):\n%s", diff)
		}
		want := []string{"builtin/lib/helper.rego", "builtin/p/a.rego", "builtin/p/c.rego"}
		if diff := cmp.Diff(want, compiledModules(eng)); diff != "" {
			t.Errorf("compiled (-want +got):\n%s", diff)
		}
		// A graph of none of the types runs the rule that lists none, and
		// compiles nothing more.
		fs, _, _ = eng.Evaluate(ctx, graphOf("t_x"))
		if len(fs) != 0 {
			t.Errorf("findings %v on t_x", fs)
		}
		if diff := cmp.Diff(want, compiledModules(eng)); diff != "" {
			t.Errorf("compiled (-want +got):\n%s", diff)
		}
		// Any one of a rule's types makes it run (t_b2 is PCS-T-002's second
		// type: the rule runs, and finds no t_b).
		if err := eng.Prepare(ctx, []string{"t_b2"}); err != nil {
			t.Fatal(err)
		}
		want = []string{"builtin/lib/helper.rego", "builtin/p/a.rego", "builtin/p/b.rego", "builtin/p/c.rego"}
		if diff := cmp.Diff(want, compiledModules(eng)); diff != "" {
			t.Errorf("compiled after Prepare (-want +got):\n%s", diff)
		}
		fs, _, _ = eng.Evaluate(ctx, graphOf("t_b", "t_a"))
		if diff := cmp.Diff([]string{"PCS-T-001 t_a.r1", "PCS-T-002 t_b.r0"}, ruleIDs(fs)); diff != "" {
			t.Errorf("findings (-want +got):\n%s", diff)
		}
	})
}

func TestEvaluationsSideBySideShareCompilations(t *testing.T) {
	ctx := context.Background()
	withBuiltin(t, testBuiltin(nil), func() {
		eng, err := New(ctx, Options{})
		if err != nil {
			t.Fatal(err)
		}
		graphs := []*graph.Graph{graphOf("t_a"), graphOf("t_b"), graphOf("t_c"), graphOf("t_a", "t_b")}
		var wg sync.WaitGroup
		got := make([][]string, len(graphs)*4)
		for i := range got {
			wg.Go(func() {
				fs, _, err := eng.Evaluate(ctx, graphs[i%len(graphs)])
				if err != nil {
					t.Error(err)
				}
				got[i] = ruleIDs(fs)
			})
		}
		wg.Wait()
		want := [][]string{{"PCS-T-001 t_a.r0"}, {"PCS-T-002 t_b.r0"}, {"PCS-T-003 t_c.r0"}, {"PCS-T-001 t_a.r0", "PCS-T-002 t_b.r1"}}
		for i := range got {
			if diff := cmp.Diff(want[i%len(graphs)], got[i]); diff != "" {
				t.Errorf("evaluation %d (-want +got):\n%s", i, diff)
			}
		}
	})
}

func TestBrokenBuiltinModuleFailsWhenNeeded(t *testing.T) {
	ctx := context.Background()
	broken := testRule("PCS-T-004", "portcullis.p.d", "t_d", []string{"t_d"}, "") + "\ndeny contains if {\n"
	withBuiltin(t, testBuiltin(map[string]string{"p/d.rego": broken}), func() {
		eng, err := New(ctx, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := eng.Evaluate(ctx, graphOf("t_a")); err != nil {
			t.Errorf("t_a: %v", err)
		}
		_, _, err = eng.Evaluate(ctx, graphOf("t_d"))
		if err == nil || !strings.Contains(err.Error(), "builtin/p/d.rego:") {
			t.Errorf("t_d: err = %v, want the parse error", err)
		}
		if err := eng.Prepare(ctx, []string{"t_d"}); err == nil {
			t.Error("Prepare t_d: no error")
		}
	})
}

func TestUserRulesRunEverywhereAndUseBuiltinLibraries(t *testing.T) {
	ctx := context.Background()
	withBuiltin(t, testBuiltin(nil), func() {
		// ACME-1 reports t_u and lists t_u; ACME-2 reports t_a but lists
		// t_u only: a user rule runs on every graph, whatever it lists.
		user := userSource(map[string]string{
			"u.rego": testRule("ACME-1", "acme.u", "t_u", []string{"t_u"}, ""),
			"v.rego": testRule("ACME-2", "acme.v", "t_a", []string{"t_u"}, ""),
		})
		eng, err := New(ctx, Options{Sources: []Source{user}})
		if err != nil {
			t.Fatal(err)
		}
		// New compiles the user rule (a broken one stops the run) and the
		// library it imports.
		want := []string{"acme/u.rego", "acme/v.rego", "builtin/lib/helper.rego"}
		if diff := cmp.Diff(want, compiledModules(eng)); diff != "" {
			t.Errorf("compiled (-want +got):\n%s", diff)
		}
		fs, _, err := eng.Evaluate(ctx, graphOf("t_u", "t_a"))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"ACME-1 t_u.r0", "ACME-2 t_a.r1", "PCS-T-001 t_a.r1"}, ruleIDs(fs)); diff != "" {
			t.Errorf("findings (-want +got):\n%s", diff)
		}
		fs, _, _ = eng.Evaluate(ctx, graphOf("t_a"))
		if diff := cmp.Diff([]string{"ACME-2 t_a.r0", "PCS-T-001 t_a.r0"}, ruleIDs(fs)); diff != "" {
			t.Errorf("findings on t_a (-want +got):\n%s", diff)
		}
	})
}

func TestOptInRules(t *testing.T) {
	ctx := context.Background()
	optIn := testRule("PCS-T-009", "portcullis.p.z", "t_a", []string{"t_a"}, "#   enabled: false\n")
	withBuiltin(t, testBuiltin(map[string]string{"p/z.rego": optIn}), func() {
		g := graphOf("t_a", "t_b")
		tests := []struct {
			name             string
			enable, disable  []string
			enabled, results []string
		}{
			{"default", nil, nil,
				[]string{"PCS-T-001", "PCS-T-002", "PCS-T-003"}, []string{"PCS-T-001 t_a.r0", "PCS-T-002 t_b.r1"}},
			{"enabled by id", []string{"PCS-T-009"}, nil,
				[]string{"PCS-T-001", "PCS-T-002", "PCS-T-003", "PCS-T-009"}, []string{"PCS-T-001 t_a.r0", "PCS-T-002 t_b.r1", "PCS-T-009 t_a.r0"}},
			{"enabled by name, another disabled", []string{"rule-pcs-t-009"}, []string{"PCS-T-001"},
				[]string{"PCS-T-002", "PCS-T-003", "PCS-T-009"}, []string{"PCS-T-002 t_b.r1", "PCS-T-009 t_a.r0"}},
			{"ids ignore case", []string{"pcs-t-009"}, []string{"Pcs-T-002"},
				[]string{"PCS-T-001", "PCS-T-003", "PCS-T-009"}, []string{"PCS-T-001 t_a.r0", "PCS-T-009 t_a.r0"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				eng, err := New(ctx, Options{Enable: tt.enable, Disable: tt.disable})
				if err != nil {
					t.Fatal(err)
				}
				var ids []string
				for _, r := range eng.Enabled() {
					ids = append(ids, r.ID)
				}
				if diff := cmp.Diff(tt.enabled, ids); diff != "" {
					t.Errorf("enabled (-want +got):\n%s", diff)
				}
				if len(eng.Rules()) != 4 || !eng.Rules()[3].OptIn {
					t.Errorf("Rules() = %v, want the four with PCS-T-009 opt-in", eng.Rules())
				}
				fs, _, err := eng.Evaluate(ctx, g)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.results, ruleIDs(fs)); diff != "" {
					t.Errorf("findings (-want +got):\n%s", diff)
				}
			})
		}
		errs := []struct {
			enable, disable []string
			want            string
		}{
			{[]string{"PCS-T-01"}, nil, `--enable-rule PCS-T-01: no rule has the id or name "PCS-T-01"; did you mean PCS-T-001? (portcullis rules lists them)`},
			{nil, []string{"rule-pcs-t-00"}, `--disable-rule rule-pcs-t-00: no rule has the id or name "rule-pcs-t-00"; did you mean PCS-T-001 or PCS-T-002 or PCS-T-003?`},
			{nil, []string{"nothing-like-it"}, `--disable-rule nothing-like-it: no rule has the id or name "nothing-like-it" (portcullis rules lists them)`},
			{[]string{"PCS-T-009"}, []string{"rule-pcs-t-009"}, `rule PCS-T-009 is both enabled (--enable-rule PCS-T-009) and disabled (--disable-rule rule-pcs-t-009)`},
		}
		for _, tt := range errs {
			_, err := New(ctx, Options{Enable: tt.enable, Disable: tt.disable})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("enable %v disable %v: err = %v, want %q", tt.enable, tt.disable, err, tt.want)
			}
		}
	})
}

// TestGatedLibraryFiles: the Azure and GCP files of the network library
// declare their types, so an AWS graph compiles without them; a graph that
// holds an Azure type then compiles the Azure file and gets its findings
// from the same engine.
func TestGatedLibraryFiles(t *testing.T) {
	eng, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	compiled := func(name string) bool {
		st := eng.state.Load()
		for j, m := range eng.mods {
			if m.name == name {
				return st != nil && st.has[j]
			}
		}
		t.Fatalf("no module %s", name)
		return false
	}
	fs, _, err := eng.Evaluate(context.Background(), openGroup())
	if err != nil || len(fs) == 0 {
		t.Fatalf("AWS graph: %d findings, %v", len(fs), err)
	}
	if !compiled("builtin/lib/network.rego") || compiled("builtin/lib/network_azure.rego") || compiled("builtin/lib/network_gcp.rego") {
		t.Fatal("an AWS graph compiled the Azure or GCP network files, or not the core")
	}
	nsg := &graph.Graph{Format: graph.FormatTerraform, Root: "az", Resources: []*graph.Resource{{
		Address: "azurerm_network_security_group.n", Mode: "managed", Type: "azurerm_network_security_group", Name: "n",
		Format: graph.FormatTerraform,
		Values: map[string]any{"security_rule": []any{map[string]any{
			"name": "ssh", "priority": json.Number("100"), "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
			"source_port_range": "*", "destination_port_range": "22", "source_address_prefix": "*",
			"destination_address_prefix": "*", "description": "SSH",
		}}},
	}}}
	nsg.Link()
	fs, _, err = eng.Evaluate(context.Background(), nsg)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].RuleID != "PCS-AZURE-001" {
		t.Fatalf("Azure graph: %+v", fs)
	}
	// The second compilation takes every enabled rule (graphs streamed one
	// by one must not each recompile a growing set), gated files included.
	if !compiled("builtin/lib/network_azure.rego") || !compiled("builtin/lib/network_gcp.rego") {
		t.Fatal("the second compilation did not take every enabled rule and the files they gate")
	}
	// A fresh engine given only the Azure graph compiles the Azure file and
	// not the GCP one: the first compilation takes what the graph needs.
	eng, err = New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := eng.Evaluate(context.Background(), nsg); err != nil {
		t.Fatal(err)
	}
	if !compiled("builtin/lib/network_azure.rego") || compiled("builtin/lib/network_gcp.rego") {
		t.Fatal("an Azure graph did not compile the Azure file, or compiled the GCP one")
	}
}

// TestUserRulesSeeGatedLibraryFiles: a user rule runs on every graph, so it
// may call a function of a gated library file (the GCP normaliser's) and
// compile whatever the graph holds.
func TestUserRulesSeeGatedLibraryFiles(t *testing.T) {
	user := fstest.MapFS{"gcp.rego": {Data: []byte(`# METADATA
# title: Implied source
# custom:
#   id: ACME-GCP-1
#   severity: low
package acme.gcp_implied

import data.portcullis.lib.network

deny contains {"resource": e.rule.resource, "attribute": e.peer.path, "message": "implied"} if {
	some e in network.open_ingress
	network.gcp_implied_peer(e.rule, e.peer)
}
`)}}
	eng, err := New(context.Background(), Options{Sources: []Source{{Name: "acme", FS: user}}})
	if err != nil {
		t.Fatalf("a user rule calling a gated library function: %v", err)
	}
	if _, _, err := eng.Evaluate(context.Background(), openGroup()); err != nil {
		t.Fatal(err)
	}
}

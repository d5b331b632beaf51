package policies

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/xeipuuv/gojsonschema"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/parser/graph"
)

// TestInputMatchesSchema checks that the input documents of real graphs
// (the examples, and the shared corpus beside the repository) conform to
// input.schema.json. Without the corpus its part is skipped, visibly.
func TestInputMatchesSchema(t *testing.T) {
	schema, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(InputSchema))
	if err != nil {
		t.Fatal(err)
	}
	for _, root := range []struct{ name, dir string }{
		{"examples", "../examples"},
		{"corpus", "../../shared/corpus/terraform"},
	} {
		t.Run(root.name, func(t *testing.T) {
			if _, err := os.Stat(root.dir); err != nil && root.name == "corpus" {
				t.Skipf("the Terraform corpus is not present (%v)", err)
			}
			graphs, _, err := parser.Load(context.Background(), os.DirFS(root.dir), []string{"."}, parser.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range graphs {
				validate(t, schema, root.name, g)
			}
			if len(graphs) < 2 {
				t.Errorf("validated only %d documents", len(graphs))
			}
		})
	}
	// An empty graph is a valid document too.
	validate(t, schema, "empty", &graph.Graph{Format: graph.FormatTerraform, Root: "."})
}

func validate(t *testing.T, schema *gojsonschema.Schema, name string, g *graph.Graph) {
	t.Helper()
	b, err := json.Marshal(Input(g))
	if err != nil {
		t.Fatal(err)
	}
	res, err := schema.Validate(gojsonschema.NewBytesLoader(b))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors() {
		t.Errorf("%s %s: %s", name, g.Root, e)
	}
}

// TestInputValueIsInput checks that the input value the engine evaluates
// (built directly, with shared terms) equals the input document as
// InterfaceToValue converts it: for the examples, a synthetic graph, a
// graph of every kind of value, and masked values.
func TestInputValueIsInput(t *testing.T) {
	graphs, _, err := parser.Load(context.Background(), os.DirFS("../examples"), []string{"."}, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	odd := &graph.Graph{Format: graph.FormatCloudFormation, Root: "t.yaml", Resources: []*graph.Resource{
		{Address: "A", Type: "AWS::S3::Bucket", Meta: map[string]any{"condition": "C", "n": 3},
			Values: map[string]any{
				"s": "x", "n": json.Number("1.5e300"), "i": json.Number("443"), "big": json.Number("123456789012345678901234567890"),
				"t": true, "f": false, "null": nil, "int": 7, "float": 2.5, "l": []any{"x", json.Number("443"), []any{}, map[string]any{}},
				"m": map[string]any{"a": map[string]any{"b": []any{"x"}}}, "same": map[string]any{"a": map[string]any{"b": []any{"x"}}},
				"e": map[string]any{}, "el": []any{},
			},
			Unknown:   map[string]any{"u": true, "l": []any{false, true}},
			Sensitive: map[string]any{"s": true},
			Refs:      []graph.Ref{{Attribute: "a", Target: "B", TargetAttribute: "Arn"}},
			Range:     graph.Range{File: "t.yaml", Start: graph.Pos{Line: 3}, End: graph.Pos{Line: 9}}},
		{Address: "B", Type: "AWS::S3::Bucket", Values: map[string]any{"s": "x", "m": map[string]any{"a": map[string]any{"b": []any{"x"}}}},
			ReferencedBy: []graph.Ref{{Attribute: "a", Target: "A", TargetAttribute: "Arn"}},
			Range:        graph.Range{File: "t.yaml", Start: graph.Pos{Line: 3}, End: graph.Pos{Line: 3}}},
	}}
	graphs = append(graphs, syntheticGraph(40), odd, &graph.Graph{Format: graph.FormatTerraform, Root: "."})
	c := newCanaries(8, 14)
	masks := map[*graph.Resource]map[string]any{}
	for _, g := range graphs {
		for name, values := range map[string]func(*graph.Resource) map[string]any{
			"values": func(r *graph.Resource) map[string]any { return r.Values },
			"masked": func(r *graph.Resource) map[string]any {
				if m, ok := masks[r]; ok {
					return m
				}
				m, _ := c.mask(r.Values, r.Sensitive).(map[string]any)
				masks[r] = m
				return m
			},
		} {
			want, err := ast.InterfaceToValue(input(g, values))
			if err != nil {
				t.Fatal(err)
			}
			got, err := inputValue(g, values)
			if err != nil {
				t.Fatal(err)
			}
			if ast.Compare(got, want) != 0 {
				t.Errorf("%s %s: the input value differs from the input document:\n got %v\nwant %v", g.Root, name, got, want)
			}
			if got.Hash() != want.Hash() {
				t.Errorf("%s %s: hash %d, want %d", g.Root, name, got.Hash(), want.Hash())
			}
		}
	}
	// A number the document cannot hold is an error, as InterfaceToValue's.
	bad := &graph.Graph{Root: ".", Resources: []*graph.Resource{{Address: "a", Values: map[string]any{"n": json.Number("1e99999999999")}}}}
	values := func(r *graph.Resource) map[string]any { return r.Values }
	if _, err := ast.InterfaceToValue(input(bad, values)); err == nil {
		t.Fatal("InterfaceToValue accepted a number out of range")
	}
	if _, err := inputValue(bad, values); err == nil {
		t.Error("a number out of range was accepted")
	}
}

// TestInputValueShares checks that equal values are built once.
func TestInputValueShares(t *testing.T) {
	g := syntheticGraph(8)
	v, err := inputValue(g, func(r *graph.Resource) map[string]any { return r.Values })
	if err != nil {
		t.Fatal(err)
	}
	res := v.(ast.Object).Get(ast.StringTerm("resources")).Value.(ast.Object)
	ingress := func(addr string) *ast.Term {
		r := res.Get(ast.StringTerm(addr)).Value.(ast.Object)
		return r.Get(ast.StringTerm("values")).Value.(ast.Object).Get(ast.StringTerm("ingress"))
	}
	if a, b := ingress("aws_security_group.g0"), ingress("aws_security_group.g1"); a != b {
		t.Error("equal ingress blocks of two resources are two terms")
	}
	empty := func(addr, key string) *ast.Term {
		return res.Get(ast.StringTerm(addr)).Value.(ast.Object).Get(ast.StringTerm(key))
	}
	if a, b := empty("aws_s3_bucket.b0", "sensitive"), empty("aws_instance.i1", "meta"); a != b {
		t.Error("empty objects of two resources are two terms")
	}
}

package policies

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// sum is the short digest of a canonical JSON text, computed here without
// encoding/json: it pins the canonical form (keys sorted, no blanks).
func sum(canonical string) string {
	s := sha256.Sum256([]byte(canonical))
	return hex.EncodeToString(s[:])[:12]
}

func ingress(elems ...any) *graph.Resource {
	return &graph.Resource{Address: "x_sg.a", Values: map[string]any{"ingress": elems, "m": map[string]any{"0": "zero"}}}
}

func rule(port int, cidrs ...any) map[string]any {
	return map[string]any{"from_port": json.Number(jsonInt(port)), "cidr_blocks": cidrs}
}

func jsonInt(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestContentKey(t *testing.T) {
	ssh := rule(22, "10.0.0.0/8", "0.0.0.0/0")
	web := rule(443, "0.0.0.0/0")
	sshKey := "ingress[" + sum(`{"cidr_blocks":["10.0.0.0/8","0.0.0.0/0"],"from_port":22}`) + "]"
	openKey := sshKey + ".cidr_blocks[" + sum(`"0.0.0.0/0"`) + "]"
	for _, tc := range []struct {
		name string
		res  *graph.Resource
		path string
		want string
	}{
		{"list element", ingress(ssh, web), "ingress.0.cidr_blocks.1", openKey},
		// Another rule inserted before: the same key at another index.
		{"element inserted before", ingress(web, rule(80, "0.0.0.0/0"), ssh), "ingress.2.cidr_blocks.1", openKey},
		// A CIDR inserted before the offending one in its own list.
		{"cidr inserted before", ingress(web, rule(22, "10.0.0.0/8", "192.0.2.0/24", "0.0.0.0/0")), "ingress.1.cidr_blocks.2",
			"ingress[" + sum(`{"cidr_blocks":["10.0.0.0/8","192.0.2.0/24","0.0.0.0/0"],"from_port":22}`) + "].cidr_blocks[" + sum(`"0.0.0.0/0"`) + "]"},
		{"whole element", ingress(ssh), "ingress.0", sshKey},
		{"list itself", ingress(ssh), "ingress", "ingress"},
		// Equal elements: the second and third are told apart by position
		// among equals.
		{"first of equals", ingress(web, ssh, web, web), "ingress.0", "ingress[" + sum(`{"cidr_blocks":["0.0.0.0/0"],"from_port":443}`) + "]"},
		{"second of equals", ingress(web, ssh, web, web), "ingress.2", "ingress[" + sum(`{"cidr_blocks":["0.0.0.0/0"],"from_port":443}`) + "#1]"},
		{"third of equals", ingress(web, ssh, web, web), "ingress.3", "ingress[" + sum(`{"cidr_blocks":["0.0.0.0/0"],"from_port":443}`) + "#2]"},
		{"equal strings", ingress(rule(22, "0.0.0.0/0", "0.0.0.0/0")), "ingress.0.cidr_blocks.1",
			"ingress[" + sum(`{"cidr_blocks":["0.0.0.0/0","0.0.0.0/0"],"from_port":22}`) + "].cidr_blocks[" + sum(`"0.0.0.0/0"`) + "#1]"},
		// What cannot be walked stays as written.
		{"index past the end", ingress(ssh), "ingress.3.cidr_blocks.0", "ingress.3.cidr_blocks.0"},
		{"not canonical index", ingress(ssh), "ingress.00", "ingress.00"},
		{"unknown attribute", ingress(ssh), "egress.0.cidr_blocks.0", "egress.0.cidr_blocks.0"},
		{"unknown below a known element", ingress(ssh), "ingress.0.prefix_list_ids.0", sshKey + ".prefix_list_ids.0"},
		{"map key of digits", ingress(ssh), "m.0", "m.0"},
		{"scalar", &graph.Resource{Values: map[string]any{"name": "x"}}, "name", "name"},
		{"empty path", ingress(ssh), "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (keyCache{}).contentKey(tc.res, tc.path); got != tc.want {
				t.Errorf("key of %s = %q, want %q", tc.path, got, tc.want)
			}
		})
	}
}

// A sensitive value is digested as the placeholder: two elements that
// differ only in a secret have one digest (the second gets #1), and the
// digest is that of the masked element.
func TestContentKeySensitive(t *testing.T) {
	res := &graph.Resource{
		Values: map[string]any{"user": []any{
			map[string]any{"name": "a", "password": "hunter2"},
			map[string]any{"name": "a", "password": "correct horse"},
		}},
		Sensitive: map[string]any{"user": []any{map[string]any{"password": true}, true}},
	}
	masked := sum(`{"name":"a","password":"(sensitive)"}`)
	c := keyCache{}
	if got, want := c.contentKey(res, "user.0.name"), "user["+masked+"].name"; got != want {
		t.Errorf("key = %q, want %q", got, want)
	}
	// The second element is sensitive as a whole.
	if got, want := c.contentKey(res, "user.1"), "user["+sum(`"(sensitive)"`)+"]"; got != want {
		t.Errorf("key = %q, want %q", got, want)
	}
}

// The cache holds one list's digests per resource and path: another
// resource with the same path is digested on its own.
func TestContentKeyCachePerResource(t *testing.T) {
	c := keyCache{}
	a, b := ingress(rule(1), rule(2)), ingress(rule(2), rule(2))
	if got, want := c.contentKey(a, "ingress.1"), "ingress["+sum(`{"cidr_blocks":null,"from_port":2}`)+"]"; got != want {
		t.Errorf("a: %q, want %q", got, want)
	}
	if got, want := c.contentKey(b, "ingress.1"), "ingress["+sum(`{"cidr_blocks":null,"from_port":2}`)+"#1]"; got != want {
		t.Errorf("b: %q, want %q", got, want)
	}
	if len(c) != 2 {
		t.Errorf("cache %v", c)
	}
}

// Findings carry the resource's header and its callers' headers in the
// repository, innermost first (a remote module's block is left out), and
// the content key of the attribute reported.
func TestFindingBlocksAndKey(t *testing.T) {
	rule := `# METADATA
# title: T
# custom:
#   id: A-1
#   severity: high
package acme.r

deny contains {"resource": r.address, "attribute": "ingress.1.cidr_blocks.0", "message": "open"} if {
	some r in input.resources
}
`
	eng, err := New(context.Background(), Options{Sources: []Source{userSource(map[string]string{"r.rego": rule})}})
	if err != nil {
		t.Fatal(err)
	}
	rng := func(file string, line int) graph.Range {
		return graph.Range{File: file, Start: graph.Pos{Line: line, Column: 1}, End: graph.Pos{Line: line, Column: 10}}
	}
	g := &graph.Graph{Root: ".", Resources: []*graph.Resource{{Address: "module.a.module.b.module.c.x_sg.s", Type: "x_sg",
		Range:  rng(".terraform/modules/c/main.tf", 3),
		Values: map[string]any{"ingress": []any{map[string]any{"cidr_blocks": []any{"10.0.0.0/8"}}, map[string]any{"cidr_blocks": []any{"0.0.0.0/0"}}}},
		Callers: []graph.Origin{
			{Kind: graph.OriginModuleCall, Range: rng("main.tf", 1)},
			{Kind: graph.OriginModuleCall, Range: rng("a/main.tf", 7)},
			{Kind: graph.OriginRemoteModuleCall, Range: rng("a/b/main.tf", 2)},
			{Kind: graph.OriginModuleCall, Range: rng(".terraform/modules/c/main.tf", 9), External: true},
		}}}}
	g.Link()
	fs, _, err := eng.Evaluate(context.Background(), g)
	if err != nil || len(fs) != 1 {
		t.Fatalf("%v %v", err, fs)
	}
	want := []graph.Range{rng(".terraform/modules/c/main.tf", 3), rng("a/b/main.tf", 2), rng("a/main.tf", 7), rng("main.tf", 1)}
	if diff := cmp.Diff(want, fs[0].Blocks); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
	if want := "ingress[" + sum(`{"cidr_blocks":["0.0.0.0/0"]}`) + "].cidr_blocks[" + sum(`"0.0.0.0/0"`) + "]"; fs[0].Key != want {
		t.Errorf("key = %q, want %q", fs[0].Key, want)
	}
	if fs[0].Suppressed != nil {
		t.Errorf("suppressed %+v: triage decides", fs[0].Suppressed)
	}
}

// BenchmarkContentKeyLongList keys a finding on every element of a list of
// 20,000 rules of one resource: the list is digested once.
func BenchmarkContentKeyLongList(b *testing.B) {
	elems := make([]any, 20000)
	for i := range elems {
		elems[i] = rule(i%1000, "0.0.0.0/0")
	}
	res := ingress(elems...)
	paths := make([]string, len(elems))
	for i := range paths {
		paths[i] = "ingress." + jsonInt(i) + ".cidr_blocks.0"
	}
	b.ResetTimer()
	for range b.N {
		c := keyCache{}
		for _, p := range paths {
			c.contentKey(res, p)
		}
	}
}

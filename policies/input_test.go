package policies

import (
	"context"
	"encoding/json"
	"os"
	"testing"

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

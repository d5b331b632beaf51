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
// (the examples, and the corpus when present) conform to input.schema.json.
func TestInputMatchesSchema(t *testing.T) {
	schema, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(InputSchema))
	if err != nil {
		t.Fatal(err)
	}
	roots := map[string]string{"examples": "../examples"}
	if _, err := os.Stat("../../shared/corpus/terraform"); err == nil {
		roots["corpus"] = "../../shared/corpus/terraform"
	}
	docs := 0
	for name, dir := range roots {
		graphs, _, err := parser.Load(context.Background(), os.DirFS(dir), []string{"."}, parser.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range graphs {
			validate(t, schema, name, g)
			docs++
		}
	}
	// An empty graph is a valid document too.
	validate(t, schema, "empty", &graph.Graph{Format: graph.FormatTerraform, Root: "."})
	if docs < 2 {
		t.Fatalf("validated only %d documents", docs)
	}
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

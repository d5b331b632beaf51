package policies

import (
	"context"
	"io/fs"
	"os"
	"testing"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/parser/graph"
)

// loadForTests is the loader portcullis test gives the parse helpers.
func loadForTests(ctx context.Context, fsys fs.FS, paths []string) ([]*graph.Graph, []graph.Diagnostic, error) {
	return parser.Load(ctx, fsys, paths, parser.Options{})
}

// TestExamplePolicies runs the tests of the user policy examples that
// docs/writing-policies.md shows, as portcullis test runs them.
func TestExamplePolicies(t *testing.T) {
	results, err := RunTests(context.Background(), TestOptions{
		Sources: []Source{{Name: "examples/policies", FS: os.DirFS("../examples/policies")}},
		Load:    loadForTests,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 {
		t.Fatal("no Rego tests found")
	}
	for _, r := range results {
		if r.Status != TestPass {
			t.Errorf("%s:%d: %s: %s %s %s\n%s", r.File, r.Line, r.Name, r.Status, r.Error, r.FailedAt, r.Output)
		}
	}
}

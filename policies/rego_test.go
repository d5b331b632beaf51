package policies

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestRego runs every *_test.rego of the built-in policies: the library and
// each rule, firing and not firing.
func TestRego(t *testing.T) {
	mods := map[string]*ast.Module{}
	tests := 0
	err := fs.WalkDir(Builtin, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		b, err := fs.ReadFile(Builtin, p)
		if err != nil {
			return err
		}
		m, err := ast.ParseModuleWithOpts(p, string(b), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			return err
		}
		mods[p] = m
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	compiler := ast.NewCompiler().WithStrict(true).WithCapabilities(capabilities()).WithEnablePrintStatements(true)
	ch, err := tester.NewRunner().SetCompiler(compiler).CapturePrintOutput(true).RaiseBuiltinErrors(true).Run(context.Background(), mods)
	if err != nil {
		t.Fatal(err)
	}
	for r := range ch {
		tests++
		name := r.Package + "." + r.Name
		switch {
		case r.Error != nil:
			t.Errorf("%s: error: %v", name, r.Error)
		case r.Skip:
			t.Errorf("%s: skipped (todo_ tests are not allowed)", name)
		case r.Fail:
			t.Errorf("%s (%s): FAIL\n%s", name, r.Location, r.Output)
		}
	}
	if tests == 0 {
		t.Fatal("no Rego tests found")
	}
	t.Logf("%d Rego tests", tests)
}

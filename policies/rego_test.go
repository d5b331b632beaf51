package policies

import (
	"context"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestRego runs every *_test.rego of the built-in policies: the library and
// each rule, firing and not firing.
func TestRego(t *testing.T) {
	runRegoTests(t, Source{Name: "builtin", FS: Builtin})
}

func runRegoTests(t *testing.T, srcs ...Source) {
	t.Helper()
	mods := map[string]*ast.Module{}
	tests := 0
	for _, src := range srcs {
		err := fs.WalkDir(src.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
				return err
			}
			b, err := fs.ReadFile(src.FS, p)
			if err != nil {
				return err
			}
			name := src.Name + "/" + p
			m, err := ast.ParseModuleWithOpts(name, string(b), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
			if err != nil {
				return err
			}
			mods[name] = m
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	ss, err := schemaSet()
	if err != nil {
		t.Fatal(err)
	}
	compiler := ast.NewCompiler().WithStrict(true).WithCapabilities(capabilities()).WithSchemas(ss).WithEnablePrintStatements(true)
	ch, err := tester.NewRunner().SetCompiler(compiler).CapturePrintOutput(true).RaiseBuiltinErrors(true).SetModules(mods).RunTests(context.Background(), nil)
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

// TestEveryPolicyIsEmbedded walks the policies directory on disk and checks
// that every .rego file is in the embedded set that the engine compiles and
// TestRego runs: a new provider directory cannot be left out silently.
func TestEveryPolicyIsEmbedded(t *testing.T) {
	onDisk := 0
	err := fs.WalkDir(os.DirFS("."), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		onDisk++
		if _, err := fs.Stat(Builtin, p); err != nil {
			t.Errorf("%s is not embedded in policies.Builtin: add its directory to the go:embed patterns in engine.go", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	embedded := 0
	_ = fs.WalkDir(Builtin, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			embedded++
		}
		return err
	})
	if onDisk == 0 || embedded != onDisk {
		t.Errorf("%d .rego files on disk, %d embedded", onDisk, embedded)
	}
}

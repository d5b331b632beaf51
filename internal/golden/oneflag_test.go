package golden

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestOneFlag keeps the one flag: no test file of the module defines a
// flag of its own (a second -update, or -decode.update), so every golden
// file is rewritten the same way.
func TestOneFlag(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		flagName := ""
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "flag" {
				flagName = "flag"
				if imp.Name != nil {
					flagName = imp.Name.Name
				}
			}
		}
		if flagName == "" {
			return nil
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == flagName && definesFlag(sel.Sel.Name) {
				t.Errorf("%s: a test defines its own flag (flag.%s); use internal/golden and its -update flag", fset.Position(call.Pos()), sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// definesFlag reports whether a function of package flag defines a flag.
func definesFlag(fn string) bool {
	switch fn {
	case "Bool", "BoolVar", "String", "StringVar", "Int", "IntVar", "Int64", "Int64Var",
		"Uint", "UintVar", "Uint64", "Uint64Var", "Float64", "Float64Var", "Duration", "DurationVar",
		"Func", "BoolFunc", "Var", "TextVar":
		return true
	}
	return false
}

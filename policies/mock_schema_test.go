package policies

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/types"
	"github.com/xeipuuv/gojsonschema"
)

// checkInputFunc is the test-only built-in TestMockInputsMatchSchema wraps
// around the value of every `with input as VALUE`: it validates the value
// against input.schema.json and returns it unchanged.
var checkInputFunc = &rego.Function{
	Name: "portcullis.check_input",
	Decl: types.NewFunction(types.Args(types.Named("input", types.A), types.Named("at", types.S)), types.Named("input", types.A)),
}

// mockChecker validates the mock input documents the tests evaluate.
type mockChecker struct {
	schema *gojsonschema.Schema

	mu        sync.Mutex
	evaluated map[string]int                 // site -> evaluations
	problems  map[string]map[string]struct{} // site -> schema errors
}

func (c *mockChecker) check(_ rego.BuiltinContext, doc, at *ast.Term) (*ast.Term, error) {
	site, ok := at.Value.(ast.String)
	if !ok {
		return nil, fmt.Errorf("check_input: the site is %v, not a string", at)
	}
	v, err := ast.JSON(doc.Value)
	if err != nil {
		return nil, fmt.Errorf("%s: the mock input is not JSON: %w", site, err)
	}
	res, err := c.schema.Validate(gojsonschema.NewGoLoader(v))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", site, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.evaluated[string(site)]++
	for _, e := range res.Errors() {
		if c.problems[string(site)] == nil {
			c.problems[string(site)] = map[string]struct{}{}
		}
		c.problems[string(site)][e.String()] = struct{}{}
	}
	return doc, nil
}

// wrapInputMocks rewrites every `with input as VALUE` of m into
// `with input as portcullis.check_input(VALUE, "file:line:col")` and returns
// the sites. A `with` that replaces a part of input (with input.x as) is
// returned in partial: what it builds cannot be validated alone.
func wrapInputMocks(m *ast.Module) (sites, partial []string) {
	ast.NewGenericVisitor(func(x any) bool {
		w, ok := x.(*ast.With)
		if !ok {
			return false
		}
		ref, ok := w.Target.Value.(ast.Ref)
		if !ok || !ref.HasPrefix(ast.InputRootRef) {
			return false
		}
		site := fmt.Sprintf("%s:%d:%d", w.Location.File, w.Location.Row, w.Location.Col)
		if len(ref) > 1 {
			partial = append(partial, site)
			return false
		}
		call := ast.CallTerm(ast.RefTerm(ast.VarTerm("portcullis"), ast.StringTerm("check_input")), w.Value, ast.StringTerm(site))
		call.Location = w.Value.Location
		w.Value = call
		sites = append(sites, site)
		return false
	}).Walk(m)
	return sites, partial
}

// TestMockInputsMatchSchema: every input document a Rego test builds by
// hand (`with input as mock.doc(...)`, the library's mock_test builders
// and each test's own) must be one the parser could produce, that is,
// valid against input.schema.json, the contract TestInputMatchesSchema
// holds the real documents to. A rule tested only against an input no scan
// can give is not tested. The tests of the built-in policies and of
// examples/policies run with each mock validated as it is evaluated.
func TestMockInputsMatchSchema(t *testing.T) {
	problems, tests, sites, err := checkMocks([]Source{
		{Name: "builtin", FS: Builtin},
		{Name: "examples/policies", FS: os.DirFS("../examples/policies")},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	if sites == 0 {
		t.Fatal("no `with input as` found in the Rego tests")
	}
	t.Logf("%d tests, %d `with input as` sites validated", tests, sites)
}

// TestMockCheckReports: the check names each bad mock at its `with`, once
// however often it is evaluated, with the schema's words; and a mock that
// no test evaluates, a partial `with input.x as`, and a test that fails
// are reported too.
func TestMockCheckReports(t *testing.T) {
	const good = `{"schema_version": 1, "format": "terraform", "root": ".", "resources": {}}`
	fsys := fstest.MapFS{"t/x_test.rego": {Data: []byte(`package t.x_test

test_good if {
	input.root == "." with input as ` + good + `
}

test_bad if {
	some n in [1, 2]
	input.root == "." with input as {"format": "hcl", "root": ".", "resources": {}, "n": n}
}

_unused if {
	true with input as {}
}

test_partial if {
	input.resources == {} with input.resources as {}
}

test_fails if {
	input.root == "elsewhere" with input as ` + good + `
}
`)}}
	problems, tests, sites, err := checkMocks([]Source{{Name: "policies", FS: fsys}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"policies/t/x_test.rego:17:24: with input.<path> as: the input document this builds cannot be validated; mock the whole document (with input as mock.doc(...))",
		"data.t.x_test.test_fails (policies/t/x_test.rego:20): fails with its mock inputs validated",
		"policies/t/x_test.rego:9:20: the mock input is not a document the parser could produce (input.schema.json):\n" +
			"\t(root): Additional property n is not allowed\n" +
			"\t(root): schema_version is required\n" +
			"\tformat: format must be one of the following: \"terraform\", \"cloudformation\", \"terraform-plan\"",
		"policies/t/x_test.rego:13:7: this mock input is never evaluated by a test, so it is not validated",
	}
	if d := cmp.Diff(want, problems); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
	if tests != 4 || sites != 4 {
		t.Errorf("%d tests, %d sites; want 4 and 4", tests, sites)
	}
}

// checkMocks runs the Rego tests of srcs with every `with input as VALUE`
// validated against input.schema.json and returns the problems, one
// message each (partial mocks, failing tests, then the sites in file and
// line order), the number of tests run and of sites wrapped.
func checkMocks(srcs []Source) (problems []string, tests, nsites int, err error) {
	schema, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(InputSchema))
	if err != nil {
		return nil, 0, 0, err
	}
	mods := map[string]*ast.Module{}
	var sites, partial []string
	for _, src := range srcs {
		err := fs.WalkDir(src.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
				return err
			}
			b, err := fs.ReadFile(src.FS, p)
			if err != nil {
				return err
			}
			name := path.Join(src.Name, p)
			m, err := parseModule(name, string(b))
			if err != nil {
				return err
			}
			s, pt := wrapInputMocks(m)
			sites, partial = append(sites, s...), append(partial, pt...)
			mods[name] = m
			return nil
		})
		if err != nil {
			return nil, 0, 0, err
		}
	}
	for _, site := range partial {
		problems = append(problems, site+": with input.<path> as: the input document this builds cannot be validated; mock the whole document (with input as mock.doc(...))")
	}

	c := &mockChecker{schema: schema, evaluated: map[string]int{}, problems: map[string]map[string]struct{}{}}
	ss, err := schemaSet()
	if err != nil {
		return nil, 0, 0, err
	}
	caps := *capabilities()
	caps.Builtins = append(append([]*ast.Builtin(nil), caps.Builtins...), declOf(terraformFunc), declOf(cloudformationFunc), declOf(checkInputFunc))
	h := helpers{load: loadForTests}
	compiler := ast.NewCompiler().WithStrict(true).WithCapabilities(&caps).WithSchemas(ss).WithEnablePrintStatements(true)
	ch, err := tester.NewRunner().SetCompiler(compiler).SetModules(mods).CapturePrintOutput(true).RaiseBuiltinErrors(true).
		AddCustomBuiltins([]*tester.Builtin{
			{Decl: declOf(terraformFunc), Func: rego.Function1(terraformFunc, h.terraform)},
			{Decl: declOf(cloudformationFunc), Func: rego.Function1(cloudformationFunc, h.cloudformation)},
			{Decl: declOf(checkInputFunc), Func: rego.Function2(checkInputFunc, c.check)},
		}).RunTests(context.Background(), nil)
	if err != nil {
		return nil, 0, 0, err
	}
	var failed []string
	for r := range ch {
		tests++
		// The wrapper returns its argument: a test that passes in TestRego
		// passes here.
		if r.Error != nil || r.Fail {
			msg := fmt.Sprintf("%s.%s (%s): fails with its mock inputs validated", r.Package, r.Name, r.Location)
			if r.Error != nil {
				msg += ": " + r.Error.Error()
			}
			failed = append(failed, msg)
		}
	}
	sort.Strings(failed)
	problems = append(problems, failed...)

	sort.Slice(sites, func(i, j int) bool { return siteLess(sites[i], sites[j]) })
	for _, site := range sites {
		if c.evaluated[site] == 0 {
			problems = append(problems, site+": this mock input is never evaluated by a test, so it is not validated")
			continue
		}
		var errs []string
		for e := range c.problems[site] {
			errs = append(errs, e)
		}
		sort.Strings(errs)
		if len(errs) > 0 {
			problems = append(problems, site+": the mock input is not a document the parser could produce (input.schema.json):\n\t"+strings.Join(errs, "\n\t"))
		}
	}
	return problems, tests, len(sites), nil
}

// siteLess orders file:line:col sites by file, then line and column as
// numbers.
func siteLess(a, b string) bool {
	var fa, fb string
	var la, ca, lb, cb int
	fa, la, ca = splitSite(a)
	fb, lb, cb = splitSite(b)
	if fa != fb {
		return fa < fb
	}
	if la != lb {
		return la < lb
	}
	return ca < cb
}

func splitSite(s string) (file string, line, col int) {
	i := strings.LastIndexByte(s, ':')
	j := strings.LastIndexByte(s[:i], ':')
	fmt.Sscan(s[j+1:i], &line)
	fmt.Sscan(s[i+1:], &col)
	return s[:j], line, col
}

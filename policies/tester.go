package policies

// Running the Rego tests of user policies (portcullis test).
//
// The tests of a user policy directory run against what a scan compiles:
// the built-in library and rules (embedded) and the directory's policies,
// with the same compiler (strict mode, the sandboxed capabilities, the
// input schema). Two test helpers feed real text through the real loaders,
// so a test asserts what a scan of that text would report:
//
//	portcullis.terraform({"main.tf": "resource ..."})  # the input of root "."
//	portcullis.cloudformation("Resources: ...")        # the input of template.yaml
//
// The policies package does not parse HCL or YAML: the caller passes the
// loader (parser.Load), and the helpers build its file system in memory.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/types"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Loader loads the roots found under paths of fsys as a scan does: the
// signature of parser.Load with its options bound.
type Loader func(ctx context.Context, fsys fs.FS, paths []string) ([]*graph.Graph, []graph.Diagnostic, error)

// TestOptions configures RunTests.
type TestOptions struct {
	// Sources are the user policy directories: their policies and their
	// *_test.rego files.
	Sources []Source
	// Run, when not empty, runs only the tests whose full name
	// (data.<package>.<rule>) matches this regular expression.
	Run string
	// Load loads the text given to portcullis.terraform and
	// portcullis.cloudformation. Nil: the helpers fail when called.
	Load Loader
	// Timeout bounds each test (default DefaultTestTimeout).
	Timeout time.Duration
}

// DefaultTestTimeout bounds one test when TestOptions.Timeout is not set.
const DefaultTestTimeout = 30 * time.Second

// TestResult is the outcome of one test rule.
type TestResult struct {
	// Name is the full name of the test: data.<package>.<rule>.
	Name string `json:"name"`
	// File and Line are where the test rule is written.
	File string `json:"file"`
	Line int    `json:"line"`
	// Status is "pass", "fail" (the rule is undefined or false), "error"
	// (evaluation stopped: a builtin error, a conflict, a timeout) or "skip"
	// (a todo_test_ rule).
	Status string `json:"status"`
	// Error is the evaluation error of an "error" test, with its location
	// (file:line:col) when known.
	Error string `json:"error,omitempty"`
	// FailedAt is, for a "fail" test, the expression that failed last
	// (file:line:col: its text), when known.
	FailedAt string `json:"failed_at,omitempty"`
	// Output is what the test printed (print()).
	Output string `json:"output,omitempty"`
}

// Test statuses.
const (
	TestPass  = "pass"
	TestFail  = "fail"
	TestError = "error"
	TestSkip  = "skip"
)

// TestLoadError is a policy or test file that cannot be read, parsed or
// compiled, or a rule whose METADATA a scan would reject: no test ran.
type TestLoadError struct {
	// Problems are one line each, with file:line:col where known.
	Problems []string
}

func (e *TestLoadError) Error() string {
	return strings.Join(e.Problems, "\n")
}

// Custom built-in functions of the tests.
var (
	filesType = types.NewObject(nil, types.NewDynamicProperty(types.S, types.S))
	inputType = types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))

	terraformFunc = &rego.Function{
		Name:        "portcullis.terraform",
		Description: "Loads Terraform files (an object of file name to text) as a scan does and returns the input document of the root module \".\".",
		Decl:        types.NewFunction(types.Args(types.Named("files", filesType)), types.Named("input", inputType)),
		Memoize:     true,
	}
	cloudformationFunc = &rego.Function{
		Name:        "portcullis.cloudformation",
		Description: "Loads a CloudFormation template (YAML or JSON text) as a scan does and returns its input document (the template is named template.yaml).",
		Decl:        types.NewFunction(types.Args(types.Named("template", types.S)), types.Named("input", inputType)),
		Memoize:     true,
	}
)

// TemplateFile is the name portcullis.cloudformation gives its template:
// the root and the file of every resource's location.
const TemplateFile = "template.yaml"

// RunTests runs the tests of opts.Sources and returns one result per test
// rule, sorted by file and line. A policy or test that cannot be loaded or
// compiled is a *TestLoadError.
func RunTests(ctx context.Context, opts TestOptions) ([]TestResult, error) {
	if _, err := regexp.Compile(opts.Run); err != nil {
		return nil, fmt.Errorf("--run: %w", err)
	}
	mods := map[string]*ast.Module{}
	if err := readTestModules(opts.Sources, mods); err != nil {
		return nil, err
	}
	// What a scan rejects (a policy that does not compile, METADATA, one
	// rule per package, a deny that is not a partial set) stops the tests.
	if len(mods) > 0 {
		if _, err := New(ctx, Options{Sources: opts.Sources}); err != nil {
			return nil, &TestLoadError{Problems: problems(err)}
		}
	}
	if err := readSources(BuiltinSource(), func(name, text string) error {
		m, err := parseModule(name, text)
		if err != nil {
			return err
		}
		mods[name] = m
		return nil
	}); err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTestTimeout
	}
	h := helpers{load: opts.Load}
	results, err := runTests(ctx, mods, h, timeout, opts.Run, false)
	if err != nil {
		return nil, err
	}
	// The failures again, traced, to say which expression failed.
	var failed []string
	for _, r := range results {
		if r.Status == TestFail {
			failed = append(failed, regexp.QuoteMeta(r.Name))
		}
	}
	if len(failed) > 0 {
		traced, err := runTests(ctx, mods, h, timeout, "^("+strings.Join(failed, "|")+")$", true)
		if err != nil {
			return nil, err
		}
		at := map[string]string{}
		for _, r := range traced {
			at[r.Name] = r.FailedAt
		}
		for i, r := range results {
			if r.Status == TestFail {
				results[i].FailedAt = at[r.Name]
			}
		}
	}
	sort.Slice(results, func(i, j int) bool {
		a, b := results[i], results[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Name < b.Name
	})
	return results, nil
}

// runTests compiles mods for the tests and runs those whose name matches
// run; with trace, a failed test's FailedAt is set.
func runTests(ctx context.Context, mods map[string]*ast.Module, h helpers, timeout time.Duration, run string, trace bool) ([]TestResult, error) {
	ss, err := schemaSet()
	if err != nil {
		return nil, err
	}
	caps := *capabilities()
	caps.Builtins = append(append([]*ast.Builtin(nil), caps.Builtins...), declOf(terraformFunc), declOf(cloudformationFunc))
	compiler := ast.NewCompiler().WithStrict(true).WithCapabilities(&caps).WithSchemas(ss).WithEnablePrintStatements(true)
	runner := tester.NewRunner().SetCompiler(compiler).SetModules(mods).
		CapturePrintOutput(true).RaiseBuiltinErrors(true).SetTimeout(timeout).Filter(run).EnableTracing(trace).
		AddCustomBuiltins([]*tester.Builtin{
			{Decl: declOf(terraformFunc), Func: rego.Function1(terraformFunc, h.terraform)},
			{Decl: declOf(cloudformationFunc), Func: rego.Function1(cloudformationFunc, h.cloudformation)},
		})
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return nil, &TestLoadError{Problems: problems(err)}
	}
	var results []TestResult
	for r := range ch {
		out := resultOf(r)
		if trace && out.Status == TestFail {
			out.FailedAt = failedAt(r.Trace)
		}
		results = append(results, out)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, nil
}

// failedAt is the last expression of the test's own queries that failed,
// as file:line:col: text (its first line), from an evaluation trace.
func failedAt(trace []*topdown.Event) string {
	for i := len(trace) - 1; i >= 0; i-- {
		e := trace[i]
		if e.Op != topdown.FailOp || e.Location == nil || e.QueryID == 0 {
			continue
		}
		if expr, ok := e.Node.(*ast.Expr); ok {
			if _, every := expr.Terms.(*ast.Every); every {
				continue
			}
		}
		text, _, _ := strings.Cut(string(e.Location.Text), "\n")
		return fmt.Sprintf("%s:%d:%d: %s", e.Location.File, e.Location.Row, e.Location.Col, text)
	}
	return ""
}

// readTestModules parses every .rego file of the sources, tests included.
func readTestModules(srcs []Source, mods map[string]*ast.Module) error {
	var errs []string
	for _, src := range srcs {
		err := fs.WalkDir(src.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, ".rego") {
				return nil
			}
			b, err := fs.ReadFile(src.FS, p)
			if err != nil {
				return err
			}
			name := path.Join(src.Name, p)
			m, err := parseModule(name, string(b))
			if err != nil {
				errs = append(errs, problems(err)...)
				return nil
			}
			mods[name] = m
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Sprintf("loading policies from %s: %v", src.Name, err))
		}
	}
	if len(errs) > 0 {
		return &TestLoadError{Problems: errs}
	}
	return nil
}

// problems formats a parse or compile error one problem a line, each with
// file:line:col.
func problems(err error) []string {
	var list ast.Errors
	if errors.As(err, &list) {
		out := make([]string, 0, len(list))
		for _, e := range list {
			out = append(out, astError(e))
		}
		return out
	}
	var one *ast.Error
	if errors.As(err, &one) {
		return []string{astError(one)}
	}
	return strings.Split(err.Error(), "\n")
}

func astError(e *ast.Error) string {
	msg := e.Code + ": " + e.Message
	if e.Details != nil {
		for _, line := range e.Details.Lines() {
			msg += "\n\t" + line
		}
	}
	if e.Location == nil {
		return msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Location.File, e.Location.Row, e.Location.Col, msg)
}

func declOf(f *rego.Function) *ast.Builtin {
	return &ast.Builtin{Name: f.Name, Description: f.Description, Decl: f.Decl}
}

// resultOf converts an OPA test result.
func resultOf(r *tester.Result) TestResult {
	out := TestResult{Name: r.Package + "." + r.Name, Output: string(r.Output), Status: TestPass}
	if r.Location != nil {
		out.File, out.Line = r.Location.File, r.Location.Row
	}
	switch {
	case r.Skip:
		out.Status = TestSkip
	case r.Error != nil:
		out.Status = TestError
		out.Error = evalError(r.Error)
	case r.Fail:
		out.Status = TestFail
	}
	return out
}

// evalError formats an evaluation error with file:line:col.
func evalError(err error) string {
	var te *topdown.Error
	if errors.As(err, &te) {
		msg := te.Code + ": " + te.Message
		if te.Location != nil {
			return fmt.Sprintf("%s:%d:%d: %s", te.Location.File, te.Location.Row, te.Location.Col, msg)
		}
		return msg
	}
	return err.Error()
}

// helpers implements portcullis.terraform and portcullis.cloudformation.
type helpers struct {
	load Loader
}

func (h helpers) terraform(bctx rego.BuiltinContext, files *ast.Term) (*ast.Term, error) {
	var m map[string]string
	if err := ast.As(files.Value, &m); err != nil {
		return nil, fmt.Errorf("files: want an object of file name to text: %w", err)
	}
	if len(m) == 0 {
		return nil, errors.New("files: no file given")
	}
	fsys := fstest.MapFS{}
	for name, text := range m {
		if !fs.ValidPath(name) || name == "." {
			return nil, fmt.Errorf("files: %q is not a relative slash-separated file name (main.tf, modules/net/main.tf)", name)
		}
		fsys[name] = &fstest.MapFile{Data: []byte(text), Mode: 0o644}
	}
	return h.root(bctx.Context, fsys, ".", graph.FormatTerraform)
}

func (h helpers) cloudformation(bctx rego.BuiltinContext, template *ast.Term) (*ast.Term, error) {
	text, ok := template.Value.(ast.String)
	if !ok {
		return nil, errors.New("template: want a string")
	}
	fsys := fstest.MapFS{TemplateFile: &fstest.MapFile{Data: []byte(text), Mode: 0o644}}
	return h.root(bctx.Context, fsys, TemplateFile, graph.FormatCloudFormation)
}

// root loads path from fsys and returns the input document of the root
// path, which must be of format. An error diagnostic fails the call.
func (h helpers) root(ctx context.Context, fsys fs.FS, root string, format graph.Format) (*ast.Term, error) {
	if h.load == nil {
		return nil, errors.New("no loader: the parse helpers are not available here")
	}
	graphs, diags, err := h.load(ctx, fsys, []string{root})
	if err != nil {
		return nil, err
	}
	var found *graph.Graph
	for _, g := range graphs {
		diags = append(diags, g.Diagnostics...)
		if g.Root == root && g.Format == format {
			found = g
		}
	}
	var errs []string
	for _, d := range diags {
		if d.Severity == graph.SeverityError {
			errs = append(errs, d.String())
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "; "))
	}
	if found == nil {
		return nil, fmt.Errorf("no %s root %q was loaded from the text given", format, root)
	}
	v, err := ast.InterfaceToValue(Input(found))
	if err != nil {
		return nil, err
	}
	return ast.NewTerm(v), nil
}

// RedactedInput is the input document of g as Input builds it, with every
// value the graph marks sensitive replaced by graph.SensitivePlaceholder (a
// sensitive object or list as a whole, its keys included): what may be
// shown to a user (portcullis inspect).
func RedactedInput(g *graph.Graph) map[string]any {
	return input(g, func(r *graph.Resource) map[string]any {
		if !holdsSensitive(r.Values, r.Sensitive) {
			return r.Values
		}
		m, _ := masked(r.Values, r.Sensitive).(map[string]any)
		return m
	})
}

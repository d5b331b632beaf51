// Package policies evaluates Rego rules over resource graphs.
//
// Rules are Rego v1 packages carrying an OPA METADATA annotation whose
// custom section names the rule (id, name, severity, controls,
// remediation, resource_types) and a partial set rule deny whose elements
// are {resource, attribute, message[, severity]}. The engine compiles the
// built-in rules (embedded) and user rules once, evaluates every rule in a
// single query per graph, and resolves each result's attribute path to the
// most precise recorded source range. Rules never compute line numbers.
package policies

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// Builtin holds the built-in policies: the library and the rules, with
// their tests.
//
//go:embed lib aws
var Builtin embed.FS

// InputSchema is the JSON Schema of the input document. Every policy,
// built-in or user, is type-checked against it at compile time, so a typo
// such as input.resource or r.valeus is an error, not a rule that never fires.
//
//go:embed input.schema.json
var InputSchema []byte

// schemaSet holds the input schema for the compiler.
func schemaSet() (*ast.SchemaSet, error) {
	var schema any
	if err := json.Unmarshal(InputSchema, &schema); err != nil {
		return nil, fmt.Errorf("input schema: %w", err)
	}
	ss := ast.NewSchemaSet()
	ss.Put(ast.SchemaRootRef, schema)
	return ss, nil
}

// Source is a set of policy files.
type Source struct {
	// Name is shown in messages (a directory path).
	Name string
	FS   fs.FS
	// Builtin marks the embedded policies.
	Builtin bool
}

// Options configures an Engine.
type Options struct {
	// Sources are the user policy directories, loaded after the built-in ones.
	Sources []Source
	// Timeout bounds one evaluation of one graph (default 30s).
	Timeout time.Duration
}

// Engine is a compiled set of rules, safe for concurrent use.
type Engine struct {
	rules   []finding.Rule
	vars    []string // query variable of each rule, same order as rules
	query   rego.PreparedEvalQuery
	timeout time.Duration
}

// entrypoint is the rule every policy package defines.
const entrypoint = "deny"

// metadata is the custom section of a rule's METADATA annotation.
type metadata struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Severity      string   `json:"severity"`
	Precision     string   `json:"precision"`
	Controls      []string `json:"controls"`
	Remediation   string   `json:"remediation"`
	ResourceTypes []string `json:"resource_types"`
}

// ReadModules parses every non-test .rego file of src.
func ReadModules(src Source) (map[string]*ast.Module, error) {
	mods := map[string]*ast.Module{}
	err := fs.WalkDir(src.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return nil
		}
		b, err := fs.ReadFile(src.FS, p)
		if err != nil {
			return err
		}
		name := path.Join(src.Name, p)
		m, err := ast.ParseModuleWithOpts(name, string(b), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			return err
		}
		mods[name] = m
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("loading policies from %s: %w", src.Name, err)
	}
	return mods, nil
}

// BuiltinSource is the embedded policy set.
func BuiltinSource() Source {
	return Source{Name: "builtin", FS: Builtin, Builtin: true}
}

// capabilities are OPA's built-ins minus those that reach outside the
// process: policies run without network, environment or file access.
func capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	denied := map[string]bool{
		"http.send": true, "net.lookup_ip_addr": true, "opa.runtime": true,
		"trace": false,
	}
	kept := caps.Builtins[:0]
	for _, b := range caps.Builtins {
		if !denied[b.Name] {
			kept = append(kept, b)
		}
	}
	caps.Builtins = kept
	return caps
}

// New loads and compiles the built-in rules and the user sources.
func New(ctx context.Context, opts Options) (*Engine, error) {
	mods := map[string]*ast.Module{}
	builtin := map[string]bool{}
	for i, src := range append([]Source{BuiltinSource()}, opts.Sources...) {
		if i > 0 && src.Builtin {
			continue
		}
		m, err := ReadModules(src)
		if err != nil {
			return nil, err
		}
		for name, mod := range m {
			mods[name] = mod
			builtin[name] = src.Builtin
		}
	}
	ss, err := schemaSet()
	if err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().WithStrict(true).WithCapabilities(capabilities()).WithSchemas(ss)
	compiler.Compile(mods)
	if compiler.Failed() {
		return nil, fmt.Errorf("compiling policies: %w", compiler.Errors)
	}
	rules, err := rulesOf(mods, builtin)
	if err != nil {
		return nil, err
	}
	e := &Engine{rules: rules, timeout: opts.Timeout}
	if e.timeout <= 0 {
		e.timeout = 30 * time.Second
	}
	var q []string
	for i, r := range rules {
		v := fmt.Sprintf("r%d", i)
		e.vars = append(e.vars, v)
		ref := ast.MustParseRef("data." + r.Package).Append(ast.StringTerm(entrypoint))
		// A comprehension is always defined: a rule whose deny is undefined
		// cannot empty the results of the others.
		q = append(q, fmt.Sprintf("%s = [x | some x in %s]", v, ref))
	}
	if len(q) == 0 {
		return e, nil
	}
	pq, err := rego.New(
		rego.Query(strings.Join(q, "; ")),
		rego.Compiler(compiler),
		rego.Capabilities(capabilities()),
		rego.StrictBuiltinErrors(false),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("preparing policy query: %w", err)
	}
	e.query = pq
	return e, nil
}

// rulesOf finds the rule packages (those defining deny) and decodes and
// validates their metadata.
func rulesOf(mods map[string]*ast.Module, builtin map[string]bool) ([]finding.Rule, error) {
	names := make([]string, 0, len(mods))
	for n := range mods {
		names = append(names, n)
	}
	// Built-in rules first, so a user rule that reuses a built-in id is the
	// one reported.
	sort.Slice(names, func(i, j int) bool {
		if builtin[names[i]] != builtin[names[j]] {
			return builtin[names[i]]
		}
		return names[i] < names[j]
	})
	byID := map[string]string{}
	byPkg := map[string]string{}
	var rules []finding.Rule
	var errs []error
	for _, name := range names {
		m := mods[name]
		if !definesEntrypoint(m) {
			continue
		}
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		if prev, ok := byPkg[pkg]; ok {
			errs = append(errs, fmt.Errorf("%s: package %s already defines a rule in %s; put one rule in one package", name, pkg, prev))
			continue
		}
		byPkg[pkg] = name
		if err := checkEntrypoint(name, m); err != nil {
			errs = append(errs, err)
			continue
		}
		r, err := ruleOf(name, m)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, ok := byID[r.ID]; ok {
			errs = append(errs, fmt.Errorf("%s: duplicate rule id %s (already used in %s)", name, r.ID, prev))
			continue
		}
		byID[r.ID] = name
		r.Package = pkg
		r.Builtin = builtin[name]
		rules = append(rules, r)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(rules, func(i, j int) bool { return rules[i].ID < rules[j].ID })
	return rules, nil
}

// checkEntrypoint requires deny to be a partial set rule (deny contains
// {...} if ...): the engine reads each element as one finding.
func checkEntrypoint(file string, m *ast.Module) error {
	for _, r := range m.Rules {
		if r.Head.Name.String() != entrypoint && (len(r.Head.Reference) == 0 || r.Head.Reference[0].Value.String() != entrypoint) {
			continue
		}
		if r.Head.RuleKind() != ast.MultiValue || len(r.Head.Reference) > 1 {
			return fmt.Errorf("%s:%d: %s must be a partial set rule: deny contains {\"resource\": ..., \"attribute\": ..., \"message\": ...} if { ... }",
				file, r.Location.Row, entrypoint)
		}
	}
	return nil
}

func definesEntrypoint(m *ast.Module) bool {
	for _, r := range m.Rules {
		if r.Head.Name.String() == entrypoint || (len(r.Head.Reference) > 0 && r.Head.Reference[0].Value.String() == entrypoint) {
			return true
		}
	}
	return false
}

func ruleOf(file string, m *ast.Module) (finding.Rule, error) {
	var ann *ast.Annotations
	for _, a := range m.Annotations {
		if a.Scope == "package" {
			ann = a
		}
	}
	if ann == nil {
		return finding.Rule{}, fmt.Errorf("%s: rule package %s has no package-scope METADATA annotation", file, m.Package.Path)
	}
	raw, err := json.Marshal(ann.Custom)
	if err != nil {
		return finding.Rule{}, fmt.Errorf("%s: METADATA custom: %w", file, err)
	}
	var md metadata
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&md); err != nil {
		return finding.Rule{}, fmt.Errorf("%s: METADATA custom: %w", file, err)
	}
	sev, err := finding.ParseSeverity(md.Severity)
	switch {
	case md.ID == "":
		return finding.Rule{}, fmt.Errorf("%s: METADATA custom.id is missing", file)
	case md.Severity == "":
		return finding.Rule{}, fmt.Errorf("%s: rule %s: METADATA custom.severity is missing", file, md.ID)
	case err != nil:
		return finding.Rule{}, fmt.Errorf("%s: rule %s: %w", file, md.ID, err)
	case ann.Title == "":
		return finding.Rule{}, fmt.Errorf("%s: rule %s: METADATA title is missing", file, md.ID)
	}
	switch md.Precision {
	case "":
		md.Precision = "high"
	case "very-high", "high", "medium", "low":
	default:
		return finding.Rule{}, fmt.Errorf("%s: rule %s: unknown precision %q (want very-high, high, medium or low)", file, md.ID, md.Precision)
	}
	if md.Name == "" {
		md.Name = strings.ToLower(md.ID)
	}
	return finding.Rule{
		ID:            md.ID,
		Name:          md.Name,
		Title:         ann.Title,
		Description:   strings.TrimSpace(ann.Description),
		Severity:      sev,
		Controls:      md.Controls,
		Remediation:   strings.TrimSpace(md.Remediation),
		ResourceTypes: md.ResourceTypes,
		Precision:     md.Precision,
		File:          file,
	}, nil
}

// Rules returns the metadata of every rule, sorted by ID.
func (e *Engine) Rules() []finding.Rule { return append([]finding.Rule(nil), e.rules...) }

// result is one element of a rule's deny set.
type result struct {
	Resource  string `json:"resource"`
	Attribute string `json:"attribute"`
	Message   string `json:"message"`
	Severity  string `json:"severity"`
}

// Evaluate runs every rule over g. Findings point at the most precise
// recorded range of the attribute each rule names; a malformed result is a
// diagnostic, not an error. The error is for an evaluation that failed as
// a whole (timeout, runtime error in a rule).
func (e *Engine) Evaluate(ctx context.Context, g *graph.Graph) (fs []finding.Finding, ds []graph.Diagnostic, err error) {
	defer func() {
		if r := recover(); r != nil {
			fs, ds, err = nil, nil, fmt.Errorf("evaluating policies on %s: internal error: %v", g.Root, r)
		}
	}()
	if len(e.rules) == 0 {
		return nil, nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	input, err := ast.InterfaceToValue(Input(g))
	if err != nil {
		return nil, nil, fmt.Errorf("building policy input for %s: %w", g.Root, err)
	}
	rs, err := e.query.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, nil, fmt.Errorf("evaluating policies on %s: %w", g.Root, err)
	}
	if len(rs) == 0 {
		return nil, nil, nil
	}
	var findings []finding.Finding
	var diags []graph.Diagnostic
	for i, rule := range e.rules {
		raw, ok := rs[0].Bindings[e.vars[i]]
		if !ok {
			continue
		}
		items, ok := raw.([]any)
		if !ok {
			diags = append(diags, malformed(rule, g, fmt.Sprintf("deny must be a set, got %T", raw)))
			continue
		}
		for _, it := range items {
			f, d := e.resolve(rule, g, it)
			if d != nil {
				diags = append(diags, *d)
				continue
			}
			findings = append(findings, f)
		}
	}
	sort.SliceStable(findings, func(i, j int) bool { return finding.Less(findings[i], findings[j]) })
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Summary+diags[i].Detail < diags[j].Summary+diags[j].Detail })
	return findings, diags, nil
}

func malformed(rule finding.Rule, g *graph.Graph, detail string) graph.Diagnostic {
	return graph.Diagnostic{
		Severity: graph.SeverityError,
		Summary:  fmt.Sprintf("rule %s returned a malformed result", rule.ID),
		Detail:   fmt.Sprintf("%s (%s, evaluating %s)", detail, rule.File, g.Root),
	}
}

func (e *Engine) resolve(rule finding.Rule, g *graph.Graph, it any) (finding.Finding, *graph.Diagnostic) {
	b, _ := json.Marshal(it)
	var r result
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		d := malformed(rule, g, fmt.Sprintf("want {resource, attribute, message, severity}: %v: %s", err, b))
		return finding.Finding{}, &d
	}
	res := g.Resource(r.Resource)
	if res == nil {
		d := malformed(rule, g, fmt.Sprintf("resource %q is not in the graph", r.Resource))
		return finding.Finding{}, &d
	}
	if r.Message == "" {
		d := malformed(rule, g, "message is empty")
		return finding.Finding{}, &d
	}
	sev := rule.Severity
	if r.Severity != "" {
		s, err := finding.ParseSeverity(r.Severity)
		if err != nil {
			d := malformed(rule, g, err.Error())
			return finding.Finding{}, &d
		}
		sev = s
	}
	rg, related := res.Locate(r.Attribute)
	r.Message = redact(r.Message, res.Values, res.Sensitive)
	var sup *finding.Suppression
	for _, s := range res.Suppressions {
		if s.RuleID == rule.ID || s.RuleID == "*" {
			sup = &finding.Suppression{Reason: s.Reason, Range: s.Range}
			break
		}
	}
	return finding.Finding{
		Suppressed: sup,
		RuleID:     rule.ID,
		Severity:   sev,
		Message:    r.Message,
		Resource:   res.Address,
		Type:       res.Type,
		Attribute:  r.Attribute,
		Root:       g.Root,
		Location:   finding.Location{Range: rg, Related: related},
	}, nil
}

// redact replaces every sensitive value of a resource that appears in a
// message with "(sensitive value)": a rule that quotes an attribute must
// never print a value declared sensitive.
func redact(msg string, values, sensitive map[string]any) string {
	var secrets []string
	collectSensitive(values, sensitive, &secrets)
	// Longest first, so a secret that contains another is replaced whole.
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	for _, s := range secrets {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "(sensitive value)")
		}
	}
	return msg
}

func collectSensitive(value, sensitive any, out *[]string) {
	switch s := sensitive.(type) {
	case bool:
		if s {
			leaves(value, out)
		}
	case map[string]any:
		v, _ := value.(map[string]any)
		for k, sub := range s {
			collectSensitive(v[k], sub, out)
		}
	case []any:
		v, _ := value.([]any)
		for i, sub := range s {
			if i < len(v) {
				collectSensitive(v[i], sub, out)
			}
		}
	}
}

func leaves(v any, out *[]string) {
	switch x := v.(type) {
	case string:
		*out = append(*out, x)
	case json.Number:
		*out = append(*out, x.String())
	case map[string]any:
		for _, sub := range x {
			leaves(sub, out)
		}
	case []any:
		for _, sub := range x {
			leaves(sub, out)
		}
	}
}

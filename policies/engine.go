// Package policies evaluates Rego rules over resource graphs.
//
// Rules are Rego v1 packages carrying an OPA METADATA annotation whose
// custom section names the rule (id, name, severity, controls,
// remediation, resource_types) and a partial set rule deny whose elements
// are {resource, attribute, message[, severity]}. The engine compiles the
// built-in rules (embedded) and user rules once, evaluates each rule in its
// own query per graph (the queries of one graph share OPA's cache of
// computed rules, so a library is computed once), and resolves each
// result's attribute path to the most precise recorded source range. Rules
// never compute line numbers. A rule that fails (a runtime conflict, a
// builtin error, a timeout) costs only its own findings and is reported as
// an error diagnostic. Sensitive values are kept out of what rules return
// by differential evaluation (see sensitive.go).
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

	"github.com/portcullis-iac/portcullis/policies/finding"
)

// Builtin holds the built-in policies: the library and the rules of every
// provider directory (aws, azure, gcp, ...), with their tests. The patterns
// take every .rego file one and two levels down, so a new provider or
// service directory is embedded without a change here;
// TestEveryPolicyIsEmbedded fails if a file is ever left out (deeper
// nesting, say).
//
//go:embed */*.rego */*/*.rego
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
	// Timeout and PerResource bound the evaluation of one rule over one
	// graph: Timeout plus PerResource for each resource of the graph
	// (defaults 30s and 1ms: a rule has 31s on a root of 1,000 resources,
	// 130s on one of 100,000). The limit is there to stop a pathological
	// policy, not a large root. A rule that exceeds it is reported as an
	// error diagnostic; the other rules still run.
	Timeout     time.Duration
	PerResource time.Duration
}

// Defaults of Options.Timeout and Options.PerResource.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultPerResource = time.Millisecond
)

// Engine is a compiled set of rules, safe for concurrent use.
type Engine struct {
	rules []finding.Rule
	// strict and lenient hold one prepared query per rule (same order as
	// rules): strict stops a rule at its first builtin error, which is then
	// reported; lenient collects builtin errors and goes on, for the passes
	// over masked inputs that only compare messages (sensitive.go).
	strict      []rego.PreparedEvalQuery
	lenient     []rego.PreparedEvalQuery
	timeout     time.Duration
	perResource time.Duration
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
	// Enabled false makes an opt-in rule: it runs only when enabled by name
	// (a requirement some organisations have, such as S3 object lock).
	Enabled *bool `json:"enabled"`
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
	e := &Engine{rules: rules, timeout: opts.Timeout, perResource: opts.PerResource}
	if e.timeout <= 0 {
		e.timeout = DefaultTimeout
	}
	if e.perResource <= 0 {
		e.perResource = DefaultPerResource
	}
	for _, r := range rules {
		ref := ast.MustParseRef("data." + r.Package).Append(ast.StringTerm(entrypoint))
		// deny is a partial set: always defined (empty when nothing matches).
		q := resultVar + " := " + ref.String()
		for _, strict := range []bool{true, false} {
			pq, err := rego.New(
				rego.Query(q),
				rego.Compiler(compiler),
				rego.Capabilities(capabilities()),
				rego.StrictBuiltinErrors(strict),
			).PrepareForEval(ctx)
			if err != nil {
				return nil, fmt.Errorf("preparing the query of rule %s: %w", r.ID, err)
			}
			if strict {
				e.strict = append(e.strict, pq)
			} else {
				e.lenient = append(e.lenient, pq)
			}
		}
	}
	return e, nil
}

// resultVar is the variable each rule query binds deny to.
const resultVar = "x"

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
		OptIn:         md.Enabled != nil && !*md.Enabled,
		File:          file,
	}, nil
}

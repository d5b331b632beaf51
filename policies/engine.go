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
	"maps"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agext/levenshtein"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

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

// schemaSet holds the input schema for the compiler (decoded once; read
// only).
var schemaSet = sync.OnceValues(func() (*ast.SchemaSet, error) {
	var schema any
	if err := json.Unmarshal(InputSchema, &schema); err != nil {
		return nil, fmt.Errorf("input schema: %w", err)
	}
	ss := ast.NewSchemaSet()
	ss.Put(ast.SchemaRootRef, schema)
	return ss, nil
})

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
	// Enable names opt-in rules (METADATA enabled: false) to run, by id or
	// name; Disable names rules not to run. A name that is no rule's is an
	// error, and so is a rule both enabled and disabled.
	Enable  []string
	Disable []string
	// Data is a base document under data that every evaluation sees, such
	// as the port settings of the configuration file
	// ({"portcullis": {"config": {"ports": ...}}}, config.PortsData).
	// It must be JSON-like (maps with string keys, slices, strings,
	// numbers, booleans, nil).
	Data map[string]any
}

// Defaults of Options.Timeout and Options.PerResource.
const (
	DefaultTimeout     = 30 * time.Second
	DefaultPerResource = time.Millisecond
)

// Engine is a set of rules, safe for concurrent use.
//
// A process pays for the rules it needs, not for the library: New reads
// the built-in policies only as far as their METADATA and package lines, and
// the policies a scan needs (the built-in rules that list a resource type its
// graphs hold, and the modules they refer to) are parsed and compiled when
// first needed (Prepare or Evaluate); each rule's queries are prepared on its
// first evaluation. User policies are parsed and compiled by New, so that a
// broken one stops the run before anything is scanned, and their rules run
// on every graph.
type Engine struct {
	// all is every loaded rule, sorted by ID (opt-in and disabled ones
	// included); ruleMod is the index in mods of each rule's module.
	all     []finding.Rule
	ruleMod []int
	// enabled says which rules run; types is the set of each built-in
	// rule's resource_types (nil: the rule runs on every graph, as user
	// rules do).
	enabled []bool
	types   []map[string]bool
	mods    []*module
	// user are the indexes in mods of the user modules: every compilation
	// holds them.
	user []int
	// everyGraph runs the enabled rules on every graph, whatever their
	// types (TestSkipLosesNoFinding).
	everyGraph  bool
	timeout     time.Duration
	perResource time.Duration
	// store holds Options.Data (nil without it).
	store storage.Store

	// mu serialises compilations (and the lazy parses of modules); state
	// is the latest compilation, replaced by a larger one when a graph needs
	// a rule it does not hold.
	mu    sync.Mutex
	state atomic.Pointer[compiled]
}

// module is one policy file. A built-in one is parsed up to its package line
// when the engine is made, and whole when a compilation first needs it.
type module struct {
	name   string
	pkg    ast.Ref // data.<package>
	src    string  // the source, until parsed whole
	header *ast.Module
	// imports are the module's imports under data, read with its header:
	// the modules it needs for certain, known before it is parsed whole.
	imports []ast.Ref
	parsed  *ast.Module // the whole module; nil until needed (guarded by mu)
	builtin bool
	rule    bool // defines deny
	// types gates a built-in library module: compiled only for graphs
	// holding one of them (its package METADATA resource_types); nil:
	// whenever its package is needed.
	types map[string]bool
}

// compiled is one compilation of a subset of the modules.
type compiled struct {
	compiler *ast.Compiler
	has      []bool          // per module: compiled
	packages map[string]bool // the packages of the compiled modules
	queries  []*queries      // per rule: nil when its module is not compiled
}

// queries are the two prepared queries of one rule, made on first use:
// strict stops a rule at its first builtin error, which is then reported;
// lenient collects builtin errors and goes on, for the passes over masked
// inputs that only compare messages (sensitive.go).
type queries struct {
	once    sync.Once
	strict  rego.PreparedEvalQuery
	lenient rego.PreparedEvalQuery
	err     error
	store   storage.Store // Options.Data, or nil
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
	err := readSources(src, func(name, text string) error {
		m, err := parseModule(name, text)
		if err != nil {
			return err
		}
		mods[name] = m
		return nil
	})
	if err != nil {
		return nil, err
	}
	return mods, nil
}

// readSources calls f with the name and text of every non-test .rego file
// of src.
func readSources(src Source, f func(name, text string) error) error {
	err := walkPolicyFiles(src, func(rel string, b []byte) error {
		return f(path.Join(src.Name, rel), string(b))
	})
	if err != nil {
		return fmt.Errorf("loading policies from %s: %w", src.Name, err)
	}
	return nil
}

// walkPolicyFiles calls f with the path (relative to src) and content of
// every non-test .rego file of src, in fs.WalkDir's order.
func walkPolicyFiles(src Source, f func(rel string, b []byte) error) error {
	return fs.WalkDir(src.FS, ".", func(p string, d fs.DirEntry, err error) error {
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
		return f(p, b)
	})
}

func parseModule(name, text string) (*ast.Module, error) {
	return ast.ParseModuleWithOpts(name, text, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
}

// readHeader reads a built-in module up to its package line and the
// imports that follow it: its METADATA, package path and imports, all New
// needs. The rest is parsed when a compilation needs the module
// (Engine.whole).
func readHeader(name, text string) (*module, error) {
	head := text
	if i := lineStart(text, "package"); i >= 0 {
		head = text[:i+headerEnd(text[i:])]
	}
	h, err := parseModule(name, head)
	if err != nil {
		return nil, err
	}
	m := &module{name: name, pkg: h.Package.Path, src: text, header: h, builtin: true, rule: lineStart(text, entrypoint) >= 0}
	m.imports = importRefs(h)
	if !m.rule {
		m.types = libraryTypes(head)
	}
	return m, nil
}

// headerEnd returns the length of the package line that starts text and of
// the import block after it (imports, blank lines and comments), up to the
// end of the last import line.
func headerEnd(text string) int {
	end := strings.IndexByte(text, '\n')
	if end < 0 {
		return len(text)
	}
	for at := end + 1; at < len(text); {
		next := strings.IndexByte(text[at:], '\n')
		if next < 0 {
			next = len(text) - at
		}
		line := strings.TrimSpace(text[at : at+next])
		switch {
		case lineStart(line, "import") == 0:
			end = at + next
		case line != "" && !strings.HasPrefix(line, "#"):
			return end
		}
		at += next + 1
	}
	return end
}

// importRefs are the imports of m under data.
func importRefs(m *ast.Module) []ast.Ref {
	var refs []ast.Ref
	for _, imp := range m.Imports {
		if r, ok := imp.Path.Value.(ast.Ref); ok && len(r) > 0 && r[0].Equal(ast.DefaultRootDocument) {
			refs = append(refs, r)
		}
	}
	return refs
}

// builtinSkippedStages are the compiler stages that only check (they
// rewrite nothing evaluation needs), skipped for built-in modules.
var builtinSkippedStages = []ast.StageID{
	ast.StageCheckTypes, ast.StageCheckUnusedImports, ast.StageCheckDuplicateImports,
	ast.StageCheckKeywordOverrides, ast.StageCheckRecursion, ast.StageCheckUnsafeBuiltins,
	ast.StageCheckDeprecatedBuiltins, ast.StageBuildRequiredCapabilities,
	// These three judge each rule alone (the safety of its head, calls of
	// functions that return nothing) or find conflicts, of which a subset
	// of the modules has no more than the whole set: what TestRego's
	// compilation of every module passed, a scan's passes too.
	// CheckUndefinedFuncs is kept: a subset could lack a module that
	// defines a function the rules call.
	ast.StageCheckRuleConflicts, ast.StageCheckSafetyRuleHeads, ast.StageCheckVoidCalls,
}

// typesDirective marks the header line of a built-in library file that only
// normalises some resource types.
const typesDirective = "# portcullis:resource_types "

// libraryTypes reads the types of a built-in library file's
// "# portcullis:resource_types TYPE..." line above its package line: a file
// of a library package that only normalises those types (the Azure and GCP
// parts of portcullis.lib.network) is compiled only for graphs that hold one
// of them, so an AWS scan does not pay for them. (A package has one
// METADATA annotation, so the list cannot live there.) nil: no such line.
func libraryTypes(head string) map[string]bool {
	for line := range strings.SplitSeq(head, "\n") {
		if rest, ok := strings.CutPrefix(line, typesDirective); ok {
			types := map[string]bool{}
			for _, t := range strings.Fields(rest) {
				types[t] = true
			}
			return types
		}
	}
	return nil
}

// applies tells whether module m is to be compiled for a graph holding
// types.
func (m *module) applies(types map[string]bool) bool {
	if m.types == nil {
		return true
	}
	for t := range m.types {
		if types[t] {
			return true
		}
	}
	return false
}

// readHeaders reads the headers of the modules of src, on every processor.
func readHeaders(src Source) (map[string]*module, error) {
	type file struct{ name, text string }
	var files []file
	err := readSources(src, func(name, text string) error {
		files = append(files, file{name, text})
		return nil
	})
	if err != nil {
		return nil, err
	}
	mods := make([]*module, len(files))
	errs := make([]error, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(files); i = int(next.Add(1)) - 1 {
				mods[i], errs[i] = readHeader(files[i].name, files[i].text)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("loading policies from %s: %w", src.Name, err)
	}
	out := make(map[string]*module, len(mods))
	for _, m := range mods {
		out[m.name] = m
	}
	return out, nil
}

// lineStart returns the offset of the first line of text that starts with
// the keyword word (followed by neither a letter, a digit nor _), or -1. A
// built-in rule defines deny at the start of a line; TestBuiltinHeaders
// checks that this tells every built-in rule from the library.
func lineStart(text, word string) int {
	for from := 0; ; {
		i := strings.Index(text[from:], word)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(word)
		if (i == 0 || text[i-1] == '\n') && (end == len(text) || !isWordByte(text[end])) {
			return i
		}
		from = end
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// BuiltinSource is the embedded policy set.
func BuiltinSource() Source {
	return Source{Name: "builtin", FS: builtinFS, Builtin: true}
}

// builtinFS is what BuiltinSource reads: Builtin, or a larger set in a
// benchmark.
var builtinFS fs.FS = Builtin

// capabilities are OPA's built-ins minus those that reach outside the
// process: policies run without network, environment or file access.
// Computed once (OPA decodes its capabilities from JSON); read only.
var capabilities = sync.OnceValue(func() *ast.Capabilities {
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
})

// New loads the built-in rules and the user sources, and compiles the user
// sources (with the built-in modules they refer to): a broken policy is an
// error here. The built-in rules are compiled when a graph needs them
// (Prepare, Evaluate); the test suite compiles every one of them.
func New(ctx context.Context, opts Options) (*Engine, error) {
	// OPA's capabilities and the input schema are decoded from JSON once
	// per process, for the first compilation: decode them meanwhile.
	go func() {
		capabilities()
		_, _ = schemaSet()
	}()
	byName, err := readHeaders(BuiltinSource())
	if err != nil {
		return nil, err
	}
	for _, src := range opts.Sources {
		if src.Builtin {
			continue
		}
		m, err := ReadModules(src)
		if err != nil {
			return nil, err
		}
		for name, mod := range m {
			byName[name] = &module{name: name, pkg: mod.Package.Path, header: mod, parsed: mod, rule: definesEntrypoint(mod)}
		}
	}
	e := &Engine{timeout: opts.Timeout, perResource: opts.PerResource}
	if opts.Data != nil {
		e.store = inmem.NewFromObject(opts.Data)
	}
	if e.timeout <= 0 {
		e.timeout = DefaultTimeout
	}
	if e.perResource <= 0 {
		e.perResource = DefaultPerResource
	}
	// Built-in modules first, so a user rule that reuses a built-in id is
	// the one reported.
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if bi, bj := byName[names[i]].builtin, byName[names[j]].builtin; bi != bj {
			return bi
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		if !byName[n].builtin {
			e.user = append(e.user, len(e.mods))
		}
		e.mods = append(e.mods, byName[n])
	}
	if e.all, e.ruleMod, err = rulesOf(e.mods); err != nil {
		return nil, err
	}
	if err := e.choose(opts.Enable, opts.Disable); err != nil {
		return nil, err
	}
	if len(e.user) > 0 {
		if _, err := e.compile(ctx, func(int) bool { return false }, nil); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// choose decides which rules run: every rule but the opt-in ones, plus the
// enabled ones, minus the disabled ones. A name that is not a rule's id (or
// kebab-case name) is an error.
func (e *Engine) choose(enable, disable []string) error {
	e.enabled = make([]bool, len(e.all))
	e.types = make([]map[string]bool, len(e.all))
	for i, r := range e.all {
		e.enabled[i] = !r.OptIn
		// Only built-in rules are skipped by type: the tests check their
		// resource_types (contract_test.go). A user rule runs on every
		// graph, whatever it lists: its resource_types were documentation
		// before they decided anything, and a type left out would silently
		// lose findings. User rules are compiled by New anyway.
		if r.Builtin && len(r.ResourceTypes) > 0 {
			e.types[i] = map[string]bool{}
			for _, t := range r.ResourceTypes {
				e.types[i][t] = true
			}
		}
	}
	enabledBy := map[int]string{}
	var errs []error
	for _, id := range enable {
		i, err := e.lookup(id)
		if err != nil {
			errs = append(errs, fmt.Errorf("--enable-rule %s: %w", id, err))
			continue
		}
		e.enabled[i] = true
		enabledBy[i] = id
	}
	for _, id := range disable {
		i, err := e.lookup(id)
		if err != nil {
			errs = append(errs, fmt.Errorf("--disable-rule %s: %w", id, err))
			continue
		}
		if by, ok := enabledBy[i]; ok {
			errs = append(errs, fmt.Errorf("rule %s is both enabled (--enable-rule %s) and disabled (--disable-rule %s)", e.all[i].ID, by, id))
			continue
		}
		e.enabled[i] = false
	}
	return errors.Join(errs...)
}

// Lookup returns the rule whose id or name is id (an exact match, or the
// only one that matches ignoring case). Otherwise the error says so and
// suggests the nearest ids.
func (e *Engine) Lookup(id string) (finding.Rule, error) {
	i, err := e.lookup(id)
	if err != nil {
		return finding.Rule{}, err
	}
	return e.all[i], nil
}

func (e *Engine) lookup(id string) (int, error) {
	for i, r := range e.all {
		if r.ID == id || r.Name == id {
			return i, nil
		}
	}
	folded := -1
	for i, r := range e.all {
		if strings.EqualFold(r.ID, id) || strings.EqualFold(r.Name, id) {
			if folded >= 0 {
				folded = -2
				break
			}
			folded = i
		}
	}
	if folded >= 0 {
		return folded, nil
	}
	msg := fmt.Sprintf("no rule has the id or name %q", id)
	if s := e.suggest(id); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return -1, fmt.Errorf("%s (portcullis rules lists them)", msg)
}

// suggest returns the ids of the rules whose id or name is nearest to id
// (an edit distance of at most a third of its length), best first.
func (e *Engine) suggest(id string) []string {
	type near struct {
		id   string
		dist int
	}
	var found []near
	limit := max(2, len(id)/3)
	up := strings.ToUpper(id)
	for _, r := range e.all {
		d := min(levenshtein.Distance(up, strings.ToUpper(r.ID), nil), levenshtein.Distance(strings.ToLower(id), r.Name, nil))
		if d <= limit {
			found = append(found, near{r.ID, d})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].dist < found[j].dist })
	var out []string
	for i, n := range found {
		if i == 3 || n.dist > found[0].dist {
			break
		}
		out = append(out, n.id)
	}
	return out
}

// Prepare compiles the rules that run on graphs holding the given resource
// types, at once: evaluations running side by side then share one
// compilation instead of each compiling what it lacks. Evaluate works
// without it.
func (e *Engine) Prepare(ctx context.Context, types []string) error {
	set := make(map[string]bool, len(types))
	for _, t := range types {
		set[t] = true
	}
	_, err := e.ensure(ctx, e.selectFor(set), set)
	return err
}

// selectFor returns the rules that run on a graph holding the given types:
// the enabled built-in rules that list one of them in resource_types, and
// the others (built-in rules that list none, user rules).
func (e *Engine) selectFor(types map[string]bool) []int {
	var sel []int
	for i := range e.all {
		if !e.enabled[i] {
			continue
		}
		run := e.types[i] == nil || e.everyGraph
		for t := range e.types[i] {
			if types[t] {
				run = true
				break
			}
		}
		if run {
			sel = append(sel, i)
		}
	}
	return sel
}

// ensure returns a compilation holding the rules sel and the library
// modules that apply to types: the first compiles what sel needs, a later
// one that lacks something every enabled rule.
func (e *Engine) ensure(ctx context.Context, sel []int, types map[string]bool) (*compiled, error) {
	holds := func(st *compiled) bool {
		if st == nil {
			return false
		}
		for _, i := range sel {
			if st.queries[i] == nil {
				return false
			}
		}
		// A gated library module of a compiled package that applies now
		// (the same package, another provider's types).
		for j, m := range e.mods {
			if m.types != nil && !st.has[j] && m.applies(types) && st.packages[m.pkg.String()] {
				return false
			}
		}
		return true
	}
	st := e.state.Load()
	if len(sel) == 0 || holds(st) {
		return st, nil
	}
	if st != nil {
		// Graphs evaluated as they are loaded (a monorepo streamed root
		// by root) would each compile again the growing set of rules
		// they need: the second compilation takes every enabled rule.
		return e.compile(ctx, func(i int) bool { return e.enabled[i] }, types)
	}
	want := map[int]bool{}
	for _, i := range sel {
		want[i] = true
	}
	return e.compile(ctx, func(i int) bool { return want[i] }, types)
}

// compile compiles the modules of the latest compilation, the user
// modules, the modules of the rules for which need holds, and every module
// these refer to; it becomes the latest compilation.
func (e *Engine) compile(_ context.Context, need func(rule int) bool, types map[string]bool) (*compiled, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	prev := e.state.Load()
	has := make([]bool, len(e.mods))
	var queue []int
	add := func(m int) {
		if !has[m] {
			has[m] = true
			queue = append(queue, m)
		}
	}
	if prev != nil {
		for m, ok := range prev.has {
			if ok {
				add(m)
			}
		}
	}
	for _, m := range e.user {
		add(m)
	}
	// Gated library modules apply to the graph's types and to those the
	// compiled rules declare: a rule that calls a function of a gated file
	// (network.gcp_implied_peer) lists one of its types, so the file is
	// there even when the rule is forced to run on another graph.
	gate := maps.Clone(types)
	if gate == nil {
		gate = map[string]bool{}
	}
	for i := range e.all {
		if need(i) {
			add(e.ruleMod[i])
			for t := range e.types[i] {
				gate[t] = true
			}
		}
	}
	// User rules run on every graph and may call any library function, so
	// with user modules every gated library file is compiled: a user rule
	// calling network.gcp_implied_peer must not fail as undefined.
	users := len(e.user) > 0
	if prev != nil && len(queue) == countTrue(prev.has) {
		return prev, nil // another evaluation compiled them meanwhile
	}
	admit := func(j int) bool { return users || e.mods[j].applies(gate) }
	mods, err := e.parseClosure(has, queue, admit)
	if err != nil {
		return nil, err
	}
	ss, err := schemaSet()
	if err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().WithStrict(true).WithCapabilities(capabilities()).WithSchemas(ss)
	if len(e.user) == 0 {
		// Only built-in modules: the checks that only reject a policy
		// (types against the input schema, unused or duplicate imports,
		// recursion, deprecated or unsafe builtins) passed when the
		// built-in set was tested (TestRego compiles it with every stage),
		// so a scan does not pay for them again: they are a third of a
		// one-file scan's compilation. User policies get every check.
		compiler = compiler.WithSkipStages(builtinSkippedStages...)
	}
	compiler.Compile(mods)
	if compiler.Failed() {
		return nil, fmt.Errorf("compiling policies: %w", compiler.Errors)
	}
	st := &compiled{compiler: compiler, has: has, queries: make([]*queries, len(e.all)), packages: map[string]bool{}}
	for j, ok := range has {
		if ok {
			st.packages[e.mods[j].pkg.String()] = true
		}
	}
	for i := range e.all {
		if has[e.ruleMod[i]] {
			st.queries[i] = &queries{store: e.store}
		}
	}
	e.state.Store(st)
	return st, nil
}

// parseClosure parses the modules of queue and those their data references
// reach (for which admit holds), marking each in has, on every processor: a
// module's imports (read with its header) are queued before it is parsed, a
// reference in a rule's body once it is. It returns the parsed modules by
// name. e.mu is held; each module is parsed by one goroutine.
func (e *Engine) parseClosure(has []bool, queue []int, admit func(j int) bool) (map[string]*ast.Module, error) {
	var (
		mu     sync.Mutex
		more   = sync.NewCond(&mu)
		busy   int
		mods   = map[string]*ast.Module{}
		failed = map[string]error{}
	)
	// reach marks and queues the modules refs reach and, through the
	// imports read with their headers, the modules those need for certain:
	// they are parsed alongside (mu held).
	var reach func(refs []ast.Ref)
	reach = func(refs []ast.Ref) {
		for _, ref := range refs {
			for j, other := range e.mods {
				if !has[j] && overlaps(ref, other.pkg) && admit(j) {
					has[j] = true
					queue = append(queue, j)
					reach(other.imports)
				}
			}
		}
	}
	mu.Lock()
	for _, m := range slices.Clone(queue) {
		reach(e.mods[m].imports)
	}
	mu.Unlock()
	work := func() {
		mu.Lock()
		defer mu.Unlock()
		for {
			for len(queue) == 0 && busy > 0 {
				more.Wait()
			}
			if len(queue) == 0 {
				more.Broadcast()
				return
			}
			// The largest first: the last to finish is a small one.
			k := 0
			for i, m := range queue {
				if e.mods[m].size() > e.mods[queue[k]].size() {
					k = i
				}
			}
			m := queue[k]
			queue = slices.Delete(queue, k, k+1)
			busy++
			mu.Unlock()
			parsed, err := e.whole(e.mods[m])
			mu.Lock()
			busy--
			if err != nil {
				failed[e.mods[m].name] = err
			} else {
				mods[e.mods[m].name] = parsed
				reach(dataRefs(parsed))
			}
			more.Broadcast()
		}
	}
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	if len(failed) > 0 {
		// The first by name, whatever the order they were parsed in.
		return nil, failed[slices.Min(slices.Collect(maps.Keys(failed)))]
	}
	return mods, nil
}

// size is the length of the module's source still to parse (0 once
// parsed).
func (m *module) size() int { return len(m.src) }

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// whole returns the module parsed whole (e.mu held).
func (e *Engine) whole(m *module) (*ast.Module, error) {
	if m.parsed != nil {
		return m.parsed, nil
	}
	p, err := parseModule(m.name, m.src)
	if err != nil {
		return nil, fmt.Errorf("loading policies from builtin: %w", err)
	}
	if !p.Package.Path.Equal(m.pkg) || definesEntrypoint(p) != m.rule {
		return nil, fmt.Errorf("%s: the module's header does not match its text (package %s, deny %t)", m.name, p.Package.Path, definesEntrypoint(p))
	}
	if m.rule {
		if err := checkEntrypoint(m.name, p); err != nil {
			return nil, err
		}
	}
	m.parsed, m.src = p, ""
	return p, nil
}

// dataRefs are the references of a module to data (its imports and the
// data.* references of its rules), which name the modules it needs.
func dataRefs(m *ast.Module) []ast.Ref {
	var refs []ast.Ref
	seen := map[string]bool{}
	add := func(r ast.Ref) {
		if len(r) == 0 || !r[0].Equal(ast.DefaultRootDocument) {
			return
		}
		if k := r.String(); !seen[k] {
			seen[k] = true
			refs = append(refs, r)
		}
	}
	for _, imp := range m.Imports {
		if r, ok := imp.Path.Value.(ast.Ref); ok {
			add(r)
		}
	}
	for _, r := range m.Rules {
		ast.WalkRefs(r, func(x ast.Ref) bool {
			add(x)
			return false
		})
	}
	return refs
}

// overlaps reports whether ref may refer to something in the package pkg:
// one is a prefix of the other, a variable part matching anything.
func overlaps(ref, pkg ast.Ref) bool {
	// Both start with data (a variable term).
	for k := 1; k < len(ref) && k < len(pkg); k++ {
		if !ref[k].IsGround() {
			return true
		}
		if !ref[k].Equal(pkg[k]) {
			return false
		}
	}
	return true
}

// resultVar is the variable each rule query binds deny to.
const resultVar = "x"

// prepare returns the rule's prepared queries, made on first use.
func (q *queries) prepare(ctx context.Context, compiler *ast.Compiler, r finding.Rule) error {
	q.once.Do(func() {
		ref := ast.MustParseRef("data." + r.Package).Append(ast.StringTerm(entrypoint))
		// deny is a partial set: always defined (empty when nothing matches).
		text := resultVar + " := " + ref.String()
		for _, strict := range []bool{true, false} {
			opts := []func(*rego.Rego){
				rego.Query(text),
				rego.Compiler(compiler),
				rego.Capabilities(capabilities()),
				rego.StrictBuiltinErrors(strict),
			}
			if q.store != nil {
				opts = append(opts, rego.Store(q.store))
			}
			pq, err := rego.New(opts...).PrepareForEval(context.WithoutCancel(ctx))
			if err != nil {
				q.err = fmt.Errorf("preparing the query of rule %s: %w", r.ID, err)
				return
			}
			if strict {
				q.strict = pq
			} else {
				q.lenient = pq
			}
		}
	})
	return q.err
}

// rulesOf finds the rule modules and decodes and validates their metadata.
// The rules are sorted by ID; ruleMod[i] is the index in mods of rule i's
// module.
func rulesOf(mods []*module) (rules []finding.Rule, ruleMod []int, err error) {
	byID := map[string]string{}
	byPkg := map[string]string{}
	var errs []error
	for mi, m := range mods {
		if !m.rule {
			continue
		}
		pkg := strings.TrimPrefix(m.pkg.String(), "data.")
		if prev, ok := byPkg[pkg]; ok {
			errs = append(errs, fmt.Errorf("%s: package %s already defines a rule in %s; put one rule in one package", m.name, pkg, prev))
			continue
		}
		byPkg[pkg] = m.name
		if m.parsed != nil {
			if err := checkEntrypoint(m.name, m.parsed); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		r, err := ruleOf(m.name, m.header)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, ok := byID[r.ID]; ok {
			errs = append(errs, fmt.Errorf("%s: duplicate rule id %s (already used in %s)", m.name, r.ID, prev))
			continue
		}
		byID[r.ID] = m.name
		r.Package = pkg
		r.Builtin = m.builtin
		rules = append(rules, r)
		ruleMod = append(ruleMod, mi)
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	idx := make([]int, len(rules))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return rules[idx[a]].ID < rules[idx[b]].ID })
	sortedRules := make([]finding.Rule, len(rules))
	sortedMods := make([]int, len(rules))
	for k, i := range idx {
		sortedRules[k], sortedMods[k] = rules[i], ruleMod[i]
	}
	return sortedRules, sortedMods, nil
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
		HelpURI:       helpURIOf(ann),
	}, nil
}

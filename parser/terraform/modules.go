package terraform

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/safefs"
)

// Cache shares parsed module directories between the roots of one scan, so
// that a module called from many examples is parsed once. It is safe for
// concurrent use.
type Cache struct {
	pos     *positions
	mu      sync.Mutex
	entries map[cacheKey]*cacheEntry
}

type cacheKey struct {
	dir string
	rd  reading
}

type cacheEntry struct {
	once sync.Once
	cfg  *moduleConfig
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{pos: newPositions(), entries: map[cacheKey]*cacheEntry{}}
}

// module returns the configuration of dir as the reading reads it. The
// OpenTofu reading of a directory without OpenTofu files is its Terraform
// reading, parsed once.
func (c *Cache) module(fsys fs.FS, dir string, rd reading) *moduleConfig {
	if rd == readOpenTofu {
		if tf := c.module(fsys, dir, readTerraform); !tf.tofu {
			return tf
		}
	}
	k := cacheKey{dir, rd}
	c.mu.Lock()
	ent, ok := c.entries[k]
	if !ok {
		ent = &cacheEntry{}
		c.entries[k] = ent
	}
	c.mu.Unlock()
	ent.once.Do(func() { ent.cfg = loadModuleConfig(fsys, dir, c.pos, rd) })
	return ent.cfg
}

// DeclaresResources reports whether the module in dir declares a resource
// or data block of its own (in either reading).
func (c *Cache) DeclaresResources(fsys fs.FS, dir string) bool {
	return len(c.module(fsys, dir, readTerraform).resources) > 0 || len(c.module(fsys, dir, readOpenTofu).resources) > 0
}

// LocalCalls returns the directories that the module in dir calls with a
// local source ("./x", "../x"), relative to the root of fsys.
func (c *Cache) LocalCalls(fsys fs.FS, dir string) []string {
	return localCalls(c, fsys, dir)
}

func isLocalSource(src string) bool {
	return strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") || src == "." || src == ".."
}

// loadState is shared by every module instance of one root module tree.
type loadState struct {
	fsys    fs.FS
	cache   *Cache
	pos     *positions
	opts    Options
	rootDir string

	// reading is how module directories are read; tofuSeen is set when a
	// directory the evaluation read holds OpenTofu files.
	reading  reading
	tofuSeen bool
	// secrets memoises whether a stored value (a variable, local, resource
	// instance or module output, by key) holds a sensitive part.
	secrets map[string]bool

	inProgress map[string]bool
	stack      []string
	diags      []graph.Diagnostic
	configs    []*moduleConfig
	local      map[*moduleConfig]bool // read by a module instance in the repository (not remote)
	prov       *resolver              // turns marks into origins, after the load (see resolver)
	used       map[*moduleConfig]bool
	files      []string // variables files read
	funcs      map[string]function.Function
	budget     *budget
	diagSeen   map[string]bool
	diagCount  map[string]int       // diagnostics by file, kept or not
	diagFirst  map[string]graph.Pos // where the first one not kept is

	manifest       map[string]string // modules.json: call key → directory
	manifestLoaded bool

	// registry holds what the calls of modules understood without their
	// code create, by module instance address (see registry.go).
	registry map[string]*regPlan

	// notCreated counts the managed resources switched off (switchedOff)
	// in every module instance evaluated: Graph.NotCreated.
	notCreated int
}

// functions returns the function table of this module tree, built once:
// file functions resolve against the root module's directory in every
// module, as in Terraform.
func (st *loadState) functions() map[string]function.Function {
	if st.funcs == nil {
		// fileset is rebuilt to spend the budget, before the budget meters
		// every function.
		fileset := func(fns map[string]function.Function) {
			fns["fileset"] = (&sandbox{fsys: st.fsys, dir: cleanModuleDir(st.rootDir)}).fileSetFunc(st.budget)
		}
		st.funcs = functions(st.fsys, st.rootDir, fileset, st.budget.adapt)
	}
	return st.funcs
}

func (st *loadState) useConfig(cfg *moduleConfig) {
	if st.used[cfg] {
		return
	}
	st.used[cfg] = true
	st.configs = append(st.configs, cfg)
}

// modulesManifest reads .terraform/modules/modules.json (TF_DATA_DIR is
// honoured through Options.DataDir) once.
func (st *loadState) modulesManifest() map[string]string {
	if st.manifestLoaded {
		return st.manifest
	}
	st.manifestLoaded = true
	dataDir := st.opts.DataDir
	if dataDir == "" {
		dataDir = ".terraform"
	}
	name := path.Join(st.rootDir, dataDir, "modules", "modules.json")
	if !fs.ValidPath(name) {
		return nil
	}
	b, err := safefs.ReadFile(st.fsys, name, MaxFileSize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // terraform init has not run: modules are not installed
	}
	if err != nil {
		// Said once here, rather than as "not installed" at every call.
		st.addDiag(graph.Diagnostic{Severity: graph.SeverityWarning,
			Summary: "cannot read the installed modules manifest", Detail: safefs.Cause(err).Error(), Range: graph.Range{File: name}})
		return nil
	}
	var m struct {
		Modules []struct {
			Key, Source, Dir string
		}
	}
	if err := json.Unmarshal(b, &m); err != nil {
		st.addDiag(graph.Diagnostic{Severity: graph.SeverityWarning,
			Summary: "cannot read the installed modules manifest", Detail: err.Error(), Range: graph.Range{File: name}})
		return nil
	}
	st.manifest = map[string]string{}
	for _, mod := range m.Modules {
		if mod.Key == "" || path.IsAbs(mod.Dir) {
			continue
		}
		st.manifest[mod.Key] = path.Join(st.rootDir, mod.Dir)
	}
	return st.manifest
}

// callInstances expands a module call's count or for_each.
func (e *evaluator) callInstances(call *moduleCall) []instance {
	if insts, ok := e.calls[call.name]; ok {
		return insts
	}
	key := "expand:module." + call.name
	if !e.push(key, call.block.DefRange) {
		return []instance{{key: cty.UnknownVal(cty.DynamicPseudoType), unknown: true,
			scope: &scope{count: cty.DynamicVal, each: cty.DynamicVal}}}
	}
	var insts []instance
	switch {
	case call.count != nil:
		insts = e.expandCount(call.count)
	case call.forEach != nil:
		insts = e.expandForEach(call.forEach)
	default:
		insts = e.admitted([]instance{{}}, call.block.DefRange, instance{})
	}
	e.pop(key)
	e.calls[call.name] = insts
	return insts
}

// childrenOf returns the evaluators of every instance of a module call that
// could be loaded.
func (e *evaluator) childrenOf(name string) []*evaluator {
	call, ok := e.cfg.calls[name]
	if !ok {
		return nil
	}
	var out []*evaluator
	for _, in := range e.callInstances(call) {
		if c := e.child(call, in); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// resolveSourceSeverity finds the directory of a module call's source:
// relative to the calling module for local sources, from modules.json
// otherwise; and whether the problem hides configuration the repository
// holds (a local module outside the scan
// root: its resources are lost, so the scan is incomplete).
func (e *evaluator) resolveSourceSeverity(call *moduleCall) (dir string, remote bool, problem string, incomplete bool) {
	if call.source == "" {
		return "", false, fmt.Sprintf("module %q has no valid source (see the error at its source); its outputs are unknown", call.name), false
	}
	if isLocalSource(call.source) {
		d := path.Join(e.cfg.dir, call.source)
		if !fs.ValidPath(d) {
			return "", false, fmt.Sprintf("the source %q of module %q is outside the scan root, so its resources are not scanned; scan from a directory that contains it (--root)", call.source, call.name), true
		}
		return d, e.remote(), "", false
	}
	if d, ok := e.installed(call); ok {
		return d, true, "", false
	}
	return "", true, fmt.Sprintf("module %q (source %q) is not installed; run terraform init to install it and scan again. Its outputs are unknown", call.name, call.source), false
}

// installed returns the directory where terraform init installed the
// module of a remote call, from modules.json.
func (e *evaluator) installed(call *moduleCall) (string, bool) {
	key := call.name
	if e.callPath != "" {
		key = e.callPath + "." + call.name
	}
	d, ok := e.st.modulesManifest()[key]
	return d, ok && fs.ValidPath(d)
}

// remote reports whether this module instance's code was installed outside
// the repository.
func (e *evaluator) remote() bool {
	for _, c := range e.callers {
		if c.Kind == graph.OriginRemoteModuleCall {
			return true
		}
	}
	return false
}

// child returns the evaluator of one instance of a module call, creating it
// on first use; nil when the module cannot be loaded (a diagnostic says why).
func (e *evaluator) child(call *moduleCall, in instance) *evaluator {
	addr := e.prefixed(instanceAddr("module."+call.name, in))
	if c, ok := e.children[addr]; ok {
		return c
	}
	e.children[addr] = nil
	if in.dropped {
		return nil // past the instance budget, reported where it was reached
	}
	dir, remote, problem, incomplete := e.resolveSourceSeverity(call)
	if problem != "" && remote {
		if _, ok := e.understood(call); ok {
			e.registryNote(call) // its resources are built from its arguments (registry.go)
			return nil
		}
	}
	if problem != "" {
		sev := graph.SeverityWarning
		if incomplete {
			sev = graph.SeverityError
		}
		e.diag(sev, "module not loaded", problem, call.block.DefRange)
		return nil
	}
	if e.depth+1 > MaxModuleDepth {
		e.diag(graph.SeverityError, "module nesting too deep",
			fmt.Sprintf("module %s is nested more than %d levels deep; its outputs are unknown", addr, MaxModuleDepth), call.block.DefRange)
		return nil
	}
	for p := e; p != nil; p = p.parent {
		if p.cfg.dir == dir {
			e.diag(graph.SeverityError, "recursive module call",
				fmt.Sprintf("module %q calls %s, which is already being evaluated on this path; its outputs are unknown", call.name, dir), call.block.DefRange)
			return nil
		}
	}
	cfg := e.st.module(dir)
	if len(cfg.files) == 0 {
		e.diag(graph.SeverityWarning, "module not loaded",
			fmt.Sprintf("module %q: %s holds no Terraform files; its outputs are unknown", call.name, dir), call.block.DefRange)
		return nil
	}
	c := newEvaluator(e.st, cfg, addr)
	c.parent = e
	c.depth = e.depth + 1
	c.callFrom, c.callKey = in.from, in.key
	if d, ok := e.st.prov.depthOf[cfg.id]; !ok || c.depth < d {
		e.st.prov.depthOf[cfg.id] = c.depth
	}
	c.callPath = call.name
	if e.callPath != "" {
		c.callPath = e.callPath + "." + call.name
	}
	kind := graph.OriginModuleCall
	if remote {
		kind = graph.OriginRemoteModuleCall
	}
	c.callers = append(append([]graph.Origin{}, e.callers...), graph.Origin{
		Kind: kind, Description: addr + " (source " + call.source + ")",
		Range: e.st.pos.rng(call.block.DefRange), External: e.remote(),
	})
	if !c.remote() {
		e.st.local[cfg] = true
		e.st.prov.local[cfg.id] = true
	}
	c.callArgs = call.args
	c.callScope = in.scope
	for name, a := range call.args {
		if _, ok := cfg.variables[name]; !ok {
			e.diag(graph.SeverityError, "unsupported argument",
				fmt.Sprintf("module %q (%s) declares no variable %q", call.name, dir, name), a.NameRange)
		}
	}
	e.children[addr] = c
	return c
}

// variable returns the value of an input variable: bound up front in the
// root module, evaluated on demand from the caller's argument in a child.
func (e *evaluator) variable(name string, at hcl.Range) cty.Value {
	if v, ok := e.vars[name]; ok {
		return v
	}
	vc, ok := e.cfg.variables[name]
	if !ok {
		e.diag(graph.SeverityWarning, "reference to undeclared input variable",
			fmt.Sprintf("var.%s is not declared in %s", name, e.cfg.dir), at)
		return cty.DynamicVal
	}
	if e.parent == nil {
		return cty.UnknownVal(vc.typ)
	}
	key := "var." + name
	if !e.push(key, vc.declRange) {
		return cty.UnknownVal(vc.typ)
	}
	var raw rawValue
	if a, ok := e.callArgs[name]; ok {
		v := e.parent.eval(a.Expr, e.callScope)
		raw = rawValue{val: v, rng: a.Expr.Range(), kind: graph.OriginModuleArgument,
			desc: fmt.Sprintf("value passed as argument %q of %s", name, e.modulePath), depth: e.parent.depth,
			external: e.parent.remote()}
	} else if vc.def == nil {
		e.st.addDiag(graph.Diagnostic{Severity: graph.SeverityWarning, Summary: "missing required argument",
			Detail: fmt.Sprintf("%s does not set the required variable %q; its value is unknown", e.modulePath, name),
			Range:  e.callers[len(e.callers)-1].Range})
	}
	v := e.bindVariable(vc, raw, raw.val != cty.NilVal)
	e.pop(key)
	e.vars[name] = v
	return v
}

// output evaluates an output of this module instance on demand.
func (e *evaluator) output(name string, at hcl.Range) cty.Value {
	if v, ok := e.outputs[name]; ok {
		return v
	}
	a, ok := e.cfg.outputs[name]
	if !ok {
		e.parent.diag(graph.SeverityWarning, "unsupported attribute",
			fmt.Sprintf("module %s has no output %q", e.modulePath, name), at)
		return cty.DynamicVal
	}
	key := "output." + name
	if !e.push(key, a.NameRange) {
		return cty.DynamicVal
	}
	v := e.eval(a.Expr, nil)
	e.pop(key)
	if e.cfg.sensitiveOutputs[name] {
		v = v.Mark(sensitiveMark{})
	}
	e.outputs[name] = v
	return v
}

// moduleValue is the value of module.NAME: an object of the outputs read
// (all of them when the whole object is used), aggregated over instances as
// Terraform does. Outputs of a module that cannot be loaded are unknown.
func (e *evaluator) moduleValue(name string, outs map[string]bool, at hcl.Range) cty.Value {
	call, ok := e.cfg.calls[name]
	if !ok {
		e.diag(graph.SeverityWarning, "reference to undeclared module",
			fmt.Sprintf("no module call %q is declared in %s", name, e.cfg.dir), at)
		return cty.DynamicVal
	}
	insts := e.callInstances(call)
	one := func(in instance) cty.Value {
		c := e.child(call, in)
		if c == nil {
			return cty.DynamicVal
		}
		names := outs
		if outs["*"] {
			names = map[string]bool{}
			for n := range c.cfg.outputs {
				names[n] = true
			}
		}
		obj := map[string]cty.Value{}
		for n := range names {
			obj[n] = c.output(n, at)
		}
		return cty.ObjectVal(obj)
	}
	for _, in := range insts {
		if in.unknown {
			return cty.DynamicVal
		}
	}
	switch {
	case call.count != nil:
		if len(insts) == 0 {
			return cty.EmptyTupleVal
		}
		elems := make([]cty.Value, len(insts))
		for i, in := range insts {
			elems[i] = one(in)
		}
		return cty.TupleVal(elems)
	case call.forEach != nil:
		obj := map[string]cty.Value{}
		for _, in := range insts {
			obj[in.key.AsString()] = one(in)
		}
		return cty.ObjectVal(obj)
	}
	if len(insts) == 0 {
		return cty.DynamicVal
	}
	return one(insts[0])
}

// collect materialises the resources of this module instance and of every
// module instance it calls, depth first in call-name order.
func (e *evaluator) collect() []*graph.Resource {
	if e.parent == nil {
		defer e.st.flushDiags()
	}
	out := e.resources()
	names := make([]string, 0, len(e.cfg.calls))
	for n := range e.cfg.calls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, c := range e.childrenOf(n) {
			out = append(out, c.collect()...)
		}
		out = append(out, e.registryResources(n)...)
	}
	return out
}

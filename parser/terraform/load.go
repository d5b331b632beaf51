// Package terraform loads Terraform configuration (HCL native and JSON
// syntax) and evaluates it statically into a resource graph, the way
// Terraform would, without running it and without network access.
//
//	g := terraform.LoadModule(os.DirFS("."), "infra/prod", terraform.Options{})
//	for _, r := range g.Resources { fmt.Println(r.Address, r.Values) }
//
// Loading is best effort: a syntax error in one file, an expression that
// cannot be evaluated or a reference cycle becomes a graph.Diagnostic with a
// range, and everything else is still evaluated. Values that cannot be known
// statically (a variable without a value, an attribute computed by the
// provider such as id) are unknown: never guessed, never dropped.
package terraform

import (
	"fmt"
	"io/fs"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Options configures loading a root module.
type Options struct {
	// Vars are the -var and -var-file inputs, in command-line order.
	Vars []VarInput
	// Env holds the environment variables to read TF_VAR_name values from
	// (the root module only). The loader never reads the process
	// environment itself.
	Env map[string]string
	// DataDir is Terraform's data directory relative to the root module
	// (TF_DATA_DIR); default ".terraform". Installed modules are found through
	// its modules/modules.json.
	DataDir string
	// Cache shares parsed module directories between roots; nil for a new one.
	Cache *Cache
}

// LoadModule loads the module in directory dir of fsys as a root module and
// evaluates it with every module it calls. It never returns nil and never
// panics.
func LoadModule(fsys fs.FS, dir string, opts Options) (g *graph.Graph) {
	g = &graph.Graph{Format: graph.FormatTerraform, Root: dir}
	defer func() {
		if r := recover(); r != nil {
			g.Diagnostics = append(g.Diagnostics, graph.Diagnostic{
				Severity: graph.SeverityError,
				Summary:  "internal error while loading the module; please report it",
				Detail:   fmt.Sprintf("%v\n%s", r, debug.Stack()),
				Range:    graph.Range{File: dir},
			})
		}
	}()
	cache := opts.Cache
	if cache == nil {
		cache = NewCache()
	}
	st := &loadState{
		fsys: fsys, cache: cache, pos: cache.pos, opts: opts, rootDir: dir,
		inProgress: map[string]bool{}, used: map[*moduleConfig]bool{},
	}
	cfg := cache.module(fsys, dir)
	e := newEvaluator(st, cfg, "")
	e.bindVariables(e.inputValues(opts))
	g.Resources = e.collect()
	var diags []graph.Diagnostic
	files := map[string]bool{}
	for _, c := range st.configs {
		diags = append(diags, c.diags...)
		for _, f := range c.files {
			files[f] = true
		}
	}
	for _, f := range st.files {
		files[f] = true
	}
	g.Sources = map[string][]byte{}
	for f := range files {
		g.Files = append(g.Files, f)
		if src, ok := st.pos.source(f); ok {
			g.Sources[f] = src
		}
	}
	sort.Strings(g.Files)
	g.Diagnostics = dedupe(append(diags, st.diags...))
	g.Link()
	return g
}

// resources materialises every instance of every resource of the module.
func (e *evaluator) resources() []*graph.Resource {
	var out []*graph.Resource
	for _, rc := range e.cfg.resources {
		insts := e.expand(rc)
		for _, in := range insts {
			if e.st.resources >= MaxResources {
				if e.st.resources == MaxResources {
					e.diag(graph.SeverityWarning, "too many resources",
						fmt.Sprintf("the module tree has more than %d resource instances; the rest are not evaluated", MaxResources), rc.block.DefRange)
					e.st.resources++
				}
				return out
			}
			e.st.resources++
			out = append(out, e.materialise(rc, in))
		}
	}
	return out
}

func (e *evaluator) materialise(rc *resourceConfig, in instance) *graph.Resource {
	addr := instanceAddr(rc.addr(), in)
	res := &graph.Resource{
		Address:  e.prefixed(addr),
		Mode:     rc.mode,
		Type:     rc.typ,
		Name:     rc.name,
		Format:   graph.FormatTerraform,
		Module:   e.modulePath,
		Provider: providerOf(rc.typ),
		Range:    e.st.pos.rng(rc.block.DefRange),
		Ranges:   map[string]graph.Range{},
		Origins:  map[string][]graph.Origin{},
		Callers:  e.callers,
		Meta:     map[string]any{},
	}
	res.Ranges[""] = res.Range
	switch {
	case in.unknown:
		res.Meta["expansion"] = "unknown"
	case rc.count != nil:
		res.Meta["expansion"] = "count"
	case rc.forEach != nil:
		res.Meta["expansion"] = "for_each"
	}
	rec := &recorder{res: res}
	var v = e.body(rc.block.Body, in.scope, "", true, rec)
	if _, ok := e.instVals[addr]; !ok {
		e.instVals[addr] = v
	}
	res.Suppressions = e.suppressions(rc.block)
	res.Origins = origins(v)
	res.Values, res.Unknown, res.Sensitive = toTree(v)
	return res
}

// providerOf is the provider local name implied by a resource type.
func providerOf(typ string) string {
	if i := strings.IndexByte(typ, '_'); i > 0 {
		return typ[:i]
	}
	return typ
}

func dedupe(ds []graph.Diagnostic) []graph.Diagnostic {
	seen := map[string]bool{}
	out := ds[:0]
	for _, d := range ds {
		k := fmt.Sprintf("%s|%d|%s|%s", d.Range.File, d.Range.Start.Byte, d.Summary, d.Detail)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, d)
	}
	return out
}

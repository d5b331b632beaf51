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
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Options configures loading a root module.
type Options struct {
	// Vars are the -var and -var-file inputs, in command-line order.
	Vars []VarInput
}

// LoadModule loads the module in directory dir of fsys as a root module and
// evaluates it. It never returns nil and never panics.
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
	cfg := loadModuleConfig(fsys, dir)
	g.Files = cfg.files
	g.Sources = cfg.sources
	e := newEvaluator(cfg, fsys, "")
	e.bindVariables(e.inputValues(fsys, opts.Vars))
	g.Resources = e.resources()
	g.Diagnostics = dedupe(append(cfg.diags, e.diags...))
	g.Link()
	return g
}

// resources materialises every instance of every resource of the module.
func (e *evaluator) resources() []*graph.Resource {
	var out []*graph.Resource
	for _, rc := range e.cfg.resources {
		insts := e.expand(rc)
		for _, in := range insts {
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
		Range:    e.cfg.positions.rng(rc.block.DefRange),
		Ranges:   map[string]graph.Range{},
		Origins:  map[string][]graph.Origin{},
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

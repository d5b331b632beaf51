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
	"path"
	"reflect"
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
	// Limits are the evaluation budgets of the module tree (each reading of
	// it, Terraform's and OpenTofu's, has its own); zero fields take their
	// defaults. See Limits, and the constants of budget.go for the limits
	// checked before a file is parsed.
	Limits Limits
}

// LoadModule loads the module in directory dir of fsys as a root module and
// evaluates it with every module it calls. It never returns nil and never
// panics.
//
// OpenTofu files: Terraform ignores *.tofu and *.tofu.json, and OpenTofu
// reads them and ignores x.tf (x.tf.json) when x.tofu (x.tofu.json) exists.
// So that neither file can hide the other, when a directory of the module
// tree holds OpenTofu files the tree is evaluated both ways and the
// resources are merged: a resource the same in both readings (address,
// values and block) once, any other with Meta["reading"] set to
// "terraform" or "opentofu"; an OpenTofu resource whose address the
// Terraform reading also has, with other values, gets the address suffix
// " (opentofu)".
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
	tf := evaluateTree(fsys, dir, opts, cache, readTerraform)
	res, diags, files, ignores := tf.resources, tf.diags, tf.files, tf.ignores
	if tf.st.tofuSeen {
		tofu := evaluateTree(fsys, dir, opts, cache, readOpenTofu)
		res = mergeReadings(tf.resources, tofu.resources)
		diags = append(diags, tofu.diags...)
		for f := range tofu.files {
			files[f] = true
		}
		for f, igs := range tofu.ignores {
			ignores[f] = igs
		}
	}
	g.Resources = res
	g.NotCreated = tf.st.notCreated
	g.Sources = map[string][]byte{}
	for f := range files {
		g.Files = append(g.Files, f)
		if src, ok := cache.pos.source(f); ok {
			g.Sources[f] = src
		}
	}
	sort.Strings(g.Files)
	for _, f := range g.Files {
		g.Ignores = append(g.Ignores, graphIgnores(cache.pos, dir, f, ignores[f])...)
	}
	g.Diagnostics = capDiagnostics(dedupe(diags))
	g.Link()
	return g
}

// treeResult is one evaluation of a module tree.
type treeResult struct {
	st        *loadState
	resources []*graph.Resource
	diags     []graph.Diagnostic
	files     map[string]bool
	ignores   map[string][]ignoreComment // of the files of modules in the repository
}

// evaluateTree evaluates the module tree rooted at dir, reading every
// module directory the way rd does.
func evaluateTree(fsys fs.FS, dir string, opts Options, cache *Cache, rd reading) treeResult {
	st := &loadState{
		fsys: fsys, cache: cache, pos: cache.pos, opts: opts, rootDir: dir, reading: rd,
		inProgress: map[string]bool{}, used: map[*moduleConfig]bool{}, local: map[*moduleConfig]bool{},
	}
	st.prov = &resolver{depthOf: map[*configID]int{}, local: map[*configID]bool{}}
	st.budget = newBudget(opts.Limits, st.addDiag, cache.pos)
	cfg := st.module(dir)
	st.local[cfg] = true
	st.prov.local[cfg.id] = true
	e := newEvaluator(st, cfg, "")
	e.bindVariables(e.inputValues(opts))
	out := treeResult{st: st, resources: e.collect(), files: map[string]bool{}, ignores: map[string][]ignoreComment{}}
	for _, c := range st.configs {
		out.diags = append(out.diags, c.diags...)
		for _, f := range c.files {
			out.files[f] = true
		}
		if st.local[c] {
			for f, igs := range c.ignores {
				out.ignores[f] = igs
			}
		}
	}
	for _, f := range st.files {
		out.files[f] = true
	}
	out.diags = append(out.diags, st.diags...)
	return out
}

// module returns the configuration of dir in this evaluation's reading,
// and notes whether the directory holds OpenTofu files.
func (st *loadState) module(dir string) *moduleConfig {
	if st.cache.module(st.fsys, dir, readTerraform).tofu {
		st.tofuSeen = true
	}
	return st.cache.module(st.fsys, dir, st.reading)
}

// localCalls returns the directories that either reading of the module in
// dir calls with a local source.
func localCalls(c *Cache, fsys fs.FS, dir string) []string {
	seen := map[string]bool{}
	var out []string
	for _, rd := range []reading{readTerraform, readOpenTofu} {
		for _, call := range c.module(fsys, dir, rd).calls {
			if !isLocalSource(call.source) {
				continue
			}
			if d := path.Join(dir, call.source); fs.ValidPath(d) && !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	sort.Strings(out)
	return out
}

// openTofuSuffix distinguishes an OpenTofu resource from the Terraform
// resource of the same address when their values differ.
const openTofuSuffix = " (opentofu)"

// mergeReadings merges the resources of the Terraform and the OpenTofu
// readings of one module tree (see LoadModule).
func mergeReadings(tf, tofu []*graph.Resource) []*graph.Resource {
	byAddr := make(map[string]*graph.Resource, len(tf))
	for _, r := range tf {
		byAddr[r.Address] = r
	}
	inTofu := make(map[string]bool, len(tofu))
	renamed := map[string]bool{}
	var extra []*graph.Resource
	for _, r := range tofu {
		inTofu[r.Address] = true
		t, ok := byAddr[r.Address]
		if ok && sameResource(t, r) {
			continue
		}
		r.Meta["reading"] = readOpenTofu.String()
		if ok {
			renamed[r.Address] = true
		}
		extra = append(extra, r)
	}
	for _, r := range tf {
		if !inTofu[r.Address] || renamed[r.Address] {
			r.Meta["reading"] = readTerraform.String()
		}
	}
	for _, r := range extra {
		// References between OpenTofu resources stay in the OpenTofu reading.
		for i, ref := range r.Refs {
			if renamed[ref.Target] {
				r.Refs[i].Target += openTofuSuffix
			}
		}
		if renamed[r.Address] {
			r.Address += openTofuSuffix
		}
	}
	return append(tf, extra...)
}

// sameResource reports whether two readings produced the same resource: the
// same block with the same values.
func sameResource(a, b *graph.Resource) bool {
	return a.Range == b.Range && reflect.DeepEqual(a.Values, b.Values) &&
		reflect.DeepEqual(a.Unknown, b.Unknown) && reflect.DeepEqual(a.Sensitive, b.Sensitive)
}

// resources materialises every instance of every resource of the module.
func (e *evaluator) resources() []*graph.Resource {
	var out []*graph.Resource
	for _, rc := range e.cfg.resources {
		insts := e.expand(rc)
		if len(insts) == 0 && e.switchedOff(rc) {
			e.st.notCreated++
		}
		for _, in := range insts {
			if in.dropped {
				continue // past the instance budget (an error diagnostic says where)
			}
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
	pv, froms := e.st.prov, e.decidingFroms(in)
	res.SetProvenance(func() (map[string][]graph.Origin, []graph.Origin) {
		return pv.origins(v), pv.decided(froms)
	})
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

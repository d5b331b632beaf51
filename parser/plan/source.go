package plan

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/safefs"
	"github.com/portcullis-iac/portcullis/parser/terraform"
)

// sourceDir returns the Terraform source directory to take locations
// from, or "" when there is none.
func (l *loader) sourceDir(opts Options) string {
	if opts.SourceDir != "" {
		dir := path.Clean(opts.SourceDir)
		entries, err := fs.ReadDir(l.fsys, dir)
		if err != nil || !terraform.IsModuleDir(entries) {
			detail := "it has no *.tf or *.tf.json files"
			if err != nil {
				detail = safefs.Cause(err).Error()
			}
			l.diag(graph.SeverityWarning, "cannot use the Terraform source directory "+dir,
				detail+"; locations point into the plan file", graph.Range{File: dir})
			return ""
		}
		return dir
	}
	dir := path.Dir(l.file)
	entries, err := fs.ReadDir(l.fsys, dir)
	if err != nil || !terraform.IsModuleDir(entries) {
		return ""
	}
	return dir
}

// locate sets the ranges of every resource and reference: from the HCL
// source when it is available and declares the resource, else from the
// plan file.
func (l *loader) locate(opts Options) {
	var hg *graph.Graph
	if dir := l.sourceDir(opts); dir != "" {
		l.g.Configuration = dir
		hg = terraform.LoadModule(l.fsys, dir, terraform.Options{})
		for _, f := range hg.Files {
			if src, ok := hg.Sources[f]; ok {
				l.g.Sources[f] = src
			}
			l.g.Files = append(l.g.Files, f)
		}
		sort.Strings(l.g.Files)
		// The inline ignores of the configuration apply to the plan's
		// resources, which take their ranges and callers from it.
		for _, ig := range hg.Ignores {
			ig.Root = l.g.Root
			l.g.Ignores = append(l.g.Ignores, ig)
		}
	}
	// HCL instances by address, by address without the last instance key,
	// and by address without any instance key (the first instance of each:
	// instances of one block share their ranges).
	exact := map[string]*graph.Resource{}
	byBase := map[string]*graph.Resource{}
	byConfig := map[string]*graph.Resource{}
	if hg != nil {
		for _, h := range hg.Resources { // sorted by address
			exact[h.Address] = h
			if b := withoutLastKey(h.Address); byBase[b] == nil {
				byBase[b] = h
			}
			if b := withoutKeys(h.Address); byConfig[b] == nil {
				byConfig[b] = h
			}
		}
	}
	var broken map[string]bool
	if hg != nil {
		broken = brokenDirs(hg)
	}
	var missing []string
	for _, r := range l.g.Resources {
		var h *graph.Resource
		if hg != nil {
			if h = exact[r.Address]; h == nil {
				if h = byBase[withoutLastKey(r.Address)]; h == nil {
					h = byConfig[withoutKeys(r.Address)]
				}
			}
			// Resources of child modules fall back to the plan file silently:
			// a module may not be installed, or not be evaluated.
			if h == nil && r.Module == "" {
				missing = append(missing, r.Address)
			}
		}
		if h != nil {
			l.dropUnset(r, h, broken)
			l.sourceRanges(r, h)
		} else {
			l.planRanges(r)
		}
		for i := range r.Refs {
			r.Refs[i].Range = refRange(r, h, r.Refs[i])
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		dir := hg.Root
		l.diag(graph.SeverityWarning, "resources of the plan are not declared in the Terraform source "+dir,
			"their locations point into the plan file (is the plan up to date with the source?): "+strings.Join(missing, ", "),
			graph.Range{File: dir})
	}
}

// sourceRanges takes the locations of a resource from its HCL block: the
// block, its attributes, the provenance of their values and the module
// calls leading to it (which decide where a finding in a module is shown).
func (l *loader) sourceRanges(r, h *graph.Resource) {
	r.Range = h.Range
	remap := blockOrder(r.Values, h.Values)
	r.Ranges = map[string]graph.Range{}
	for p, rg := range h.Ranges {
		if q, ok := remapPath(p, remap); ok {
			r.Ranges[q] = rg
		}
	}
	r.Ranges[""] = r.Range
	dropInsideSensitive(r)
	h.ResolveProvenance() // the HCL graph's origins are computed when first needed
	// Provenance describes the values the HCL evaluation saw; the plan may
	// have used others (-var, a different tfvars). Keep a hop only where
	// both agree on the value.
	paths := make([]string, 0, len(h.Origins))
	for p := range h.Origins {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		o := h.Origins[p]
		q, ok := remapPath(p, remap)
		if !ok || !sameValue(valueAt(r.Values, q), valueAt(h.Values, p)) {
			continue
		}
		if r.Origins == nil {
			r.Origins = map[string][]graph.Origin{}
		}
		addOrigins(r, q, o)
	}
	r.Callers = h.Callers
}

// blockOrder matches the elements of repeated nested blocks between the
// plan and the HCL: Terraform writes set-typed blocks (a security group's
// ingress) in its own order, not the source's. The result maps a block type
// to, for each HCL index, the plan index with the same content (-1 when
// there is none). Past maxBlockPairs pairs of elements to compare, each
// HCL element is compared with the plan's at its own index only: matching
// in any order takes the product of the counts (30,000 dynamic blocks in
// the source and in each of a hundred planned instances, 9·10¹⁰
// comparisons); sets of blocks that large are not written by hand.
func blockOrder(plan, hcl map[string]any) map[string][]int {
	out := map[string][]int{}
	for k, hv := range hcl {
		hl, ok1 := hv.([]any)
		pl, ok2 := plan[k].([]any)
		if !ok1 || !ok2 || len(hl) == 0 {
			continue
		}
		if _, isObj := hl[0].(map[string]any); !isObj {
			continue
		}
		order := make([]int, len(hl))
		if len(hl)*len(pl) > maxBlockPairs {
			for i, he := range hl {
				order[i] = -1
				if i < len(pl) && contains(pl[i], he) {
					order[i] = i
				}
			}
			out[k] = order
			continue
		}
		used := make([]bool, len(pl))
		for i, he := range hl {
			order[i] = -1
			for j, pe := range pl {
				if !used[j] && contains(pe, he) {
					order[i], used[j] = j, true
					break
				}
			}
		}
		out[k] = order
	}
	return out
}

// maxBlockPairs bounds the pairs of elements blockOrder compares for one
// block type of one resource.
const maxBlockPairs = 64 * 64

// contains reports whether every known value of the HCL element h is the
// same in the plan element p (the plan also has provider defaults).
func contains(p, h any) bool {
	switch hv := h.(type) {
	case map[string]any:
		pv, ok := p.(map[string]any)
		if !ok {
			return false
		}
		for k, x := range hv {
			if !contains(pv[k], x) {
				return false
			}
		}
		return true
	case []any:
		pv, ok := p.([]any)
		if !ok || len(pv) != len(hv) {
			return false
		}
		for i := range hv {
			if hv[i] != nil && !contains(pv[i], hv[i]) {
				return false
			}
		}
		return true
	}
	return sameValue(p, h)
}

// remapPath rewrites the block index of an HCL attribute path to the plan's
// ("ingress.0.cidr_blocks" -> "ingress.1.cidr_blocks"); false when the
// element has no counterpart in the plan.
func remapPath(p string, remap map[string][]int) (string, bool) {
	parts := strings.SplitN(p, ".", 3)
	order, ok := remap[parts[0]]
	if !ok || len(parts) < 2 {
		return p, true
	}
	i, err := strconv.Atoi(parts[1])
	if err != nil || i < 0 || i >= len(order) || order[i] < 0 {
		return "", false
	}
	parts[1] = strconv.Itoa(order[i])
	return strings.Join(parts, "."), true
}

func valueAt(v any, path string) any {
	if path == "" {
		return v
	}
	for _, step := range strings.Split(path, ".") {
		switch c := v.(type) {
		case map[string]any:
			v = c[step]
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			v = c[i]
		default:
			return nil
		}
	}
	return v
}

func sameValue(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

// planRanges points a resource at its object in the plan file, and its
// attributes at their values in change.after (or the prior state's values).
func (l *loader) planRanges(r *graph.Resource) {
	key := l.byKey[r]
	sp, ok := l.spans.objects[key]
	if !ok {
		r.Range = graph.Range{File: l.file}
		r.Ranges[""] = r.Range
		return
	}
	r.Range = l.lines.rng(sp)
	values, unknown := l.spans.values[key], l.spans.values[key+unknownSuffix]
	r.Ranges = make(map[string]graph.Range, 1+len(values))
	r.Ranges[""] = r.Range
	for p, s := range values {
		r.Ranges[p] = l.lines.rng(s)
	}
	// An unknown attribute is not in after: point at its after_unknown entry.
	for p, s := range unknown {
		if _, ok := r.Ranges[p]; !ok {
			r.Ranges[p] = l.lines.rng(s)
		}
	}
	// Each resource's spans are read once: let them go.
	delete(l.spans.values, key)
	delete(l.spans.values, key+unknownSuffix)
	dropInsideSensitive(r)
}

// refRange is where a reference is written: the HCL reference with the
// same attribute, target resource and target attribute when there is one,
// else the most precise range of the referring attribute.
func refRange(r, h *graph.Resource, ref graph.Ref) graph.Range {
	if h != nil {
		for _, hr := range h.Refs {
			if hr.Attribute == ref.Attribute && hr.TargetAttribute == ref.TargetAttribute &&
				withoutLastKey(hr.Target) == withoutLastKey(ref.Target) {
				return hr.Range
			}
		}
	}
	rg, _ := r.Lookup(ref.Attribute)
	return rg
}

package plan

import (
	"io/fs"
	"maps"
	"path"
	"sort"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
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
				detail = unwrap(err).Error()
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
		hg = terraform.LoadModule(l.fsys, dir, terraform.Options{})
		for _, f := range hg.Files {
			if src, ok := hg.Sources[f]; ok {
				l.g.Sources[f] = src
			}
			l.g.Files = append(l.g.Files, f)
		}
		sort.Strings(l.g.Files)
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
	r.Ranges = maps.Clone(h.Ranges)
	if r.Ranges == nil {
		r.Ranges = map[string]graph.Range{}
	}
	r.Ranges[""] = r.Range
	if len(h.Origins) > 0 {
		r.Origins = maps.Clone(h.Origins)
	}
	r.Callers = h.Callers
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
	r.Ranges = map[string]graph.Range{"": r.Range}
	for p, s := range l.spans.values[key] {
		r.Ranges[p] = l.lines.rng(s)
	}
	// An unknown attribute is not in after: point at its after_unknown entry.
	for p, s := range l.spans.values[key+unknownSuffix] {
		if _, ok := r.Ranges[p]; !ok {
			r.Ranges[p] = l.lines.rng(s)
		}
	}
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

package policies

import (
	"github.com/portcullis-iac/portcullis/parser/graph"
)

// InputSchemaVersion is the version of the Rego input document. It changes
// only when the document changes incompatibly.
const InputSchemaVersion = 1

// Input builds the Rego input document of a graph: resources keyed by
// address, values in plan JSON's after / after_unknown / after_sensitive
// conventions, references as addresses (never embedded objects, so the
// document is a tree). See docs/input-schema.md.
func Input(g *graph.Graph) map[string]any {
	return input(g, func(r *graph.Resource) map[string]any { return r.Values })
}

// input builds the input document with the values that values gives for
// each resource.
func input(g *graph.Graph, values func(*graph.Resource) map[string]any) map[string]any {
	resources := make(map[string]any, len(g.Resources))
	for _, r := range g.Resources {
		refs := make([]any, 0, len(r.Refs))
		for _, ref := range r.Refs {
			refs = append(refs, map[string]any{
				"attribute":        ref.Attribute,
				"target":           ref.Target,
				"target_attribute": ref.TargetAttribute,
			})
		}
		back := make([]any, 0, len(r.ReferencedBy))
		for _, ref := range r.ReferencedBy {
			back = append(back, map[string]any{
				"attribute":        ref.Attribute,
				"source":           ref.Target,
				"target_attribute": ref.TargetAttribute,
			})
		}
		meta := r.Meta
		if meta == nil {
			meta = map[string]any{}
		}
		resources[r.Address] = map[string]any{
			"address":       r.Address,
			"mode":          r.Mode,
			"type":          r.Type,
			"name":          r.Name,
			"format":        string(r.Format),
			"module":        r.Module,
			"provider":      r.Provider,
			"values":        orEmpty(values(r)),
			"unknown":       orEmpty(r.Unknown),
			"sensitive":     orEmpty(r.Sensitive),
			"references":    refs,
			"referenced_by": back,
			"meta":          meta,
			"location": map[string]any{
				"file":       r.Range.File,
				"start_line": r.Range.Start.Line,
				"end_line":   r.Range.End.Line,
			},
		}
	}
	return map[string]any{
		"schema_version": InputSchemaVersion,
		"format":         string(g.Format),
		"root":           g.Root,
		"resources":      resources,
	}
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Override files (override.tf, x_override.tf, and their .tf.json and
// OpenTofu forms) are merged into the primary definitions as Terraform
// does: each argument an override block sets replaces the primary's, and
// the nested blocks of a type it contains replace all the primary's blocks
// of that type. In JSON syntax an argument and a nested block type are both
// a property, so a property replaces either.
//
// When both bodies are in native syntax the merge is one hclsyntax.Body.
// When either is JSON, the merge is a layeredBody: the primary with the
// overridden names removed, then the override, evaluated one after the
// other into one object.

// mergeOverride applies an override block to a resource.
func (m *moduleConfig) mergeOverride(prev, over *resourceConfig) {
	names := overriddenNames(over.block.Body)
	kept := withoutNames(prev.block.Body, names)
	var body hcl.Body
	pb, ok1 := kept.(*hclsyntax.Body)
	ob, ok2 := over.block.Body.(*hclsyntax.Body)
	if ok1 && ok2 {
		merged := &hclsyntax.Body{
			Attributes: make(hclsyntax.Attributes, len(pb.Attributes)+len(ob.Attributes)),
			SrcRange:   pb.SrcRange,
			EndRange:   pb.EndRange,
		}
		for n, a := range pb.Attributes {
			merged.Attributes[n] = a
		}
		for n, a := range ob.Attributes {
			merged.Attributes[n] = a
		}
		merged.Blocks = append(append(hclsyntax.Blocks{}, pb.Blocks...), ob.Blocks...)
		body = merged
	} else {
		var layers []hcl.Body
		if lb, ok := kept.(*layeredBody); ok {
			layers = append(layers, lb.layers...)
		} else {
			layers = append(layers, kept)
		}
		body = &layeredBody{layers: append(layers, over.block.Body)}
	}
	nb := *prev.block
	nb.Body = body
	prev.block = &nb
	if over.count != nil {
		prev.count, prev.forEach = over.count, nil
	}
	if over.forEach != nil {
		prev.forEach, prev.count = over.forEach, nil
	}
}

// overriddenNames are the argument names and nested block types an
// override body sets.
func overriddenNames(b hcl.Body) map[string]bool {
	names := map[string]bool{}
	if sb, ok := b.(*hclsyntax.Body); ok {
		for n := range sb.Attributes {
			names[n] = true
		}
		for _, blk := range sb.Blocks {
			names[blockKey(blk)] = true
		}
		return names
	}
	attrs, _ := b.JustAttributes()
	for n, a := range attrs {
		names[n] = true
		if n != "dynamic" {
			continue
		}
		// "dynamic": {"ingress": {...}} generates ingress blocks.
		if pairs, diags := hcl.ExprMap(a.Expr); !diags.HasErrors() {
			for _, kv := range pairs {
				if k, d := kv.Key.Value(nil); !d.HasErrors() && k.Type() == cty.String && k.IsKnown() && !k.IsNull() {
					names[k.AsString()] = true
				}
			}
		}
	}
	return names
}

// withoutNames returns b without the arguments and nested blocks named in
// names.
func withoutNames(b hcl.Body, names map[string]bool) hcl.Body {
	switch x := b.(type) {
	case *hclsyntax.Body:
		out := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: x.SrcRange, EndRange: x.EndRange}
		for n, a := range x.Attributes {
			if !names[n] {
				out.Attributes[n] = a
			}
		}
		for _, blk := range x.Blocks {
			if !names[blockKey(blk)] {
				out.Blocks = append(out.Blocks, blk)
			}
		}
		return out
	case *layeredBody:
		out := &layeredBody{}
		for _, l := range x.layers {
			out.layers = append(out.layers, withoutNames(l, names))
		}
		return out
	case *filteredBody:
		drop := make(map[string]bool, len(x.drop)+len(names))
		for n := range x.drop {
			drop[n] = true
		}
		for n := range names {
			drop[n] = true
		}
		return &filteredBody{body: x.body, drop: drop}
	}
	return &filteredBody{body: b, drop: names}
}

// layeredBody is a resource body merged from bodies that set different
// names (see mergeOverride), evaluated in order into one object.
type layeredBody struct {
	layers []hcl.Body
}

var _ hcl.Body = (*layeredBody)(nil)

func (b *layeredBody) Content(schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	c, _, diags := b.PartialContent(schema)
	return c, diags
}

func (b *layeredBody) PartialContent(schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	out := &hcl.BodyContent{Attributes: hcl.Attributes{}, MissingItemRange: b.MissingItemRange()}
	rest := &layeredBody{}
	var diags hcl.Diagnostics
	for _, l := range b.layers {
		c, r, d := l.PartialContent(schema)
		diags = append(diags, d...)
		if c != nil {
			for n, a := range c.Attributes {
				out.Attributes[n] = a
			}
			out.Blocks = append(out.Blocks, c.Blocks...)
		}
		if r != nil {
			rest.layers = append(rest.layers, r)
		}
	}
	return out, rest, diags
}

func (b *layeredBody) JustAttributes() (hcl.Attributes, hcl.Diagnostics) {
	out := hcl.Attributes{}
	var diags hcl.Diagnostics
	for _, l := range b.layers {
		attrs, d := l.JustAttributes()
		diags = append(diags, d...)
		for n, a := range attrs {
			out[n] = a
		}
	}
	return out, diags
}

func (b *layeredBody) MissingItemRange() hcl.Range {
	if len(b.layers) == 0 {
		return hcl.Range{}
	}
	return b.layers[0].MissingItemRange()
}

// Range is the range of the primary body, as hclsyntax.Body has one.
func (b *layeredBody) Range() hcl.Range {
	if len(b.layers) > 0 {
		if r, ok := b.layers[0].(interface{ Range() hcl.Range }); ok {
			return r.Range()
		}
	}
	return b.MissingItemRange()
}

// filteredBody is a body in JSON syntax without some of its properties.
type filteredBody struct {
	body hcl.Body
	drop map[string]bool
}

var _ hcl.Body = (*filteredBody)(nil)

func (b *filteredBody) Content(schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	c, _, diags := b.PartialContent(schema)
	return c, diags
}

func (b *filteredBody) PartialContent(schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	s := &hcl.BodySchema{}
	for _, a := range schema.Attributes {
		if !b.drop[a.Name] {
			s.Attributes = append(s.Attributes, a)
		}
	}
	for _, h := range schema.Blocks {
		if !b.drop[h.Type] {
			s.Blocks = append(s.Blocks, h)
		}
	}
	c, rest, diags := b.body.PartialContent(s)
	if rest != nil {
		rest = &filteredBody{body: rest, drop: b.drop}
	}
	return c, rest, diags
}

func (b *filteredBody) JustAttributes() (hcl.Attributes, hcl.Diagnostics) {
	attrs, diags := b.body.JustAttributes()
	out := make(hcl.Attributes, len(attrs))
	for n, a := range attrs {
		if !b.drop[n] {
			out[n] = a
		}
	}
	return out, diags
}

func (b *filteredBody) MissingItemRange() hcl.Range { return b.body.MissingItemRange() }

// layered evaluates a layeredBody: each layer sets names no other sets.
func (e *evaluator) layered(b *layeredBody, sc *scope, prefix string, top bool, rec *recorder) cty.Value {
	obj := map[string]cty.Value{}
	for _, l := range b.layers {
		v := e.body(l, sc, prefix, top, rec)
		if !v.IsKnown() || v.IsNull() || !v.Type().IsObjectType() {
			continue
		}
		for it := v.ElementIterator(); it.Next(); {
			k, x := it.Element()
			obj[k.AsString()] = x
		}
	}
	return cty.ObjectVal(obj)
}

package terraform

import (
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

var dynamicSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "for_each", Required: true}, {Name: "iterator"}, {Name: "labels"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "content"}},
}

// dynamic expands a dynamic block; generated blocks get the ranges of the
// content block, where a user changes them.
func (e *evaluator) dynamic(blk *hclsyntax.Block, sc *scope, prefix string, blocks map[string][]cty.Value, rec *recorder) {
	if len(blk.Labels) != 1 {
		e.diag(graph.SeverityError, "invalid dynamic block", "a dynamic block needs exactly one label: the block type", blk.DefRange())
		return
	}
	typ := blk.Labels[0]
	rec.dynamicBlock(prefix, typ)
	content, diags := blk.Body.Content(dynamicSchema)
	for _, d := range diags {
		e.st.addDiag(e.st.pos.diagnostic(d))
	}
	if content == nil || len(content.Blocks) != 1 {
		if !diags.HasErrors() {
			e.diag(graph.SeverityError, "invalid dynamic block", "a dynamic block needs exactly one content block", blk.DefRange())
		}
		return
	}
	fe, ok := content.Attributes["for_each"]
	if !ok {
		return
	}
	iter := typ
	if a, ok := content.Attributes["iterator"]; ok {
		if name := hcl.ExprAsKeyword(a.Expr); name != "" {
			iter = name
		} else {
			e.diag(graph.SeverityError, "invalid dynamic block", "iterator must be a bare name", a.Expr.Range())
			return
		}
	}
	contentBlock := content.Blocks[0]
	cb, ok := contentBlock.Body.(*hclsyntax.Body)
	if !ok {
		return
	}
	coll := e.eval(fe.Expr, sc)
	b := e.st.budget
	start, at := b.enter(fe.Expr.Range())
	defer b.leave(start, at)
	insts := e.dynamicInstances(coll, fe.Expr.Range(), sc, iter)
	for _, in := range insts {
		p := join(prefix, typ+"."+strconv.Itoa(len(blocks[typ])))
		rec.setRange(p, e.st.pos.rng(contentBlock.DefRange))
		v := e.body(cb, in.scope, p, false, rec)
		if in.unknown && rec != nil {
			rec.res.Meta["dynamic_unknown"] = appendMeta(rec.res.Meta["dynamic_unknown"], p)
		}
		blocks[typ] = append(blocks[typ], v)
	}
}

// dynamicInstances expands a dynamic block's for_each: each generated
// block costs BlockOverhead up front; past the budget the block is one
// representative with an unknown key. A sensitive collection is one
// representative block (see sensitiveForEach).
func (e *evaluator) dynamicInstances(coll cty.Value, at hcl.Range, sc *scope, iter string) []instance {
	u, marks := coll.Unmark()
	n := 0
	switch {
	case marks.Has(sensitiveMark{}):
		n = 1 // one representative block, whatever the collection's size
	case u.IsKnown() && !u.IsNull() && u.CanIterateElements():
		n = u.LengthInt()
	}
	if n > 0 && !e.st.budget.spend(int64(n)*BlockOverhead, at) {
		return []instance{{key: cty.UnknownVal(cty.String), unknown: true,
			scope: sc.with(iter, cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal.WithMarks(marks)}))}}
	}
	return e.eachInstances(coll, at, "dynamic block for_each", func(k, v cty.Value) *scope {
		return sc.with(iter, cty.ObjectVal(map[string]cty.Value{"key": k, "value": v}))
	})
}

// dynamicBlock records in meta.dynamic_blocks the block type a top-level
// dynamic block writes (prefix ""), once: the plan loader needs it, because
// plan JSON leaves dynamic blocks out of its configuration.
func (r *recorder) dynamicBlock(prefix, typ string) {
	if r == nil || prefix != "" {
		return
	}
	l, _ := r.res.Meta["dynamic_blocks"].([]any)
	for _, t := range l {
		if t == typ {
			return
		}
	}
	r.res.Meta["dynamic_blocks"] = append(l, typ)
}

func appendMeta(v any, s string) any {
	l, _ := v.([]any)
	return append(l, s)
}

// jsonDynamic expands the dynamic blocks of a JSON-syntax body:
//
//	"dynamic": {"ingress": {"for_each": "${var.rules}", "iterator": "rule", "content": {...}}}
//
// (one object, or an array of them, per block type). Generated blocks are
// appended to the blocks of that type written directly.
func (e *evaluator) jsonDynamic(expr hcl.Expression, sc *scope, prefix string, obj map[string]cty.Value, rec *recorder) {
	types, diags := hcl.ExprMap(expr)
	if diags.HasErrors() {
		e.diag(graph.SeverityError, "invalid dynamic block", "dynamic must be an object of block types", expr.Range())
		return
	}
	for _, tv := range types {
		k, d := tv.Key.Value(nil)
		if d.HasErrors() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
			continue
		}
		typ := k.AsString()
		rec.dynamicBlock(prefix, typ)
		specs := []hcl.Expression{tv.Value}
		if list, d := hcl.ExprList(tv.Value); !d.HasErrors() {
			specs = list
		}
		var blocks []cty.Value
		if existing, ok := obj[typ]; ok && existing.IsKnown() && !existing.IsNull() && (existing.Type().IsTupleType() || existing.Type().IsListType()) {
			blocks = existing.AsValueSlice()
		}
		for _, spec := range specs {
			fields := map[string]hcl.Expression{}
			pairs, d := hcl.ExprMap(spec)
			if d.HasErrors() {
				e.diag(graph.SeverityError, "invalid dynamic block", "a dynamic block must be an object", spec.Range())
				continue
			}
			for _, kv := range pairs {
				if fk, d := kv.Key.Value(nil); !d.HasErrors() && fk.Type() == cty.String && fk.IsKnown() && !fk.IsNull() {
					fields[fk.AsString()] = kv.Value
				}
			}
			fe, content := fields["for_each"], fields["content"]
			if fe == nil || content == nil {
				e.diag(graph.SeverityError, "invalid dynamic block", "a dynamic block needs for_each and content", spec.Range())
				continue
			}
			iter := typ
			if it, ok := fields["iterator"]; ok {
				if v, d := it.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
					iter = v.AsString()
				}
			}
			b := e.st.budget
			start, at := b.enter(fe.Range())
			insts := e.dynamicInstances(e.eval(fe, sc), fe.Range(), sc, iter)
			for _, in := range insts {
				p := join(prefix, typ+"."+strconv.Itoa(len(blocks)))
				rec.setRange(p, e.st.pos.rng(content.Range()))
				blocks = append(blocks, e.jsonObject(content, in.scope, p, rec))
				if in.unknown && rec != nil {
					rec.res.Meta["dynamic_unknown"] = appendMeta(rec.res.Meta["dynamic_unknown"], p)
				}
			}
			b.leave(start, at)
		}
		obj[typ] = cty.TupleVal(blocks)
	}
}

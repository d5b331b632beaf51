package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// recordRefs records an edge for every resource the expression refers to,
// directly or through local values, module outputs and module arguments.
func (e *evaluator) recordRefs(expr hcl.Expression, sc *scope, path string, rec *recorder, seen map[string]bool) {
	e.recordExpr(expr, sc, nil, path, rec, seen)
}

// recordExpr records the edges of expr, evaluated in scope sc. at, when set,
// is the range in the referring attribute that every edge is reported at.
func (e *evaluator) recordExpr(expr hcl.Expression, sc *scope, at *hcl.Range, path string, rec *recorder, seen map[string]bool) {
	if at != nil {
		// Following a local, variable or output: as deep as evaluation
		// goes, each step paid for.
		if rec.depth >= MaxReferenceDepth {
			if !rec.deep {
				rec.deep = true
				e.diag(graph.SeverityError, "references nested too deep",
					fmt.Sprintf("the references of this value go through more than %d locals, variables and outputs; edges past them are not recorded", MaxReferenceDepth), *at)
			}
			return
		}
		if !e.st.budget.spend(LoopOverhead, *at) {
			return
		}
		rec.depth++
		defer func() { rec.depth-- }()
	}
	keys := e.indexKeys(expr, sc)
	for _, t := range expr.Variables() {
		r := t.SourceRange()
		if at != nil {
			r = *at
		}
		e.recordTraversal(t, keys[t.SourceRange()], r, path, rec, seen)
	}
}

// dynIndex is an instance key computed in the referring scope:
// aws_security_group.b[count.index].id has the key of count.index.
type dynIndex struct {
	key  cty.Value
	attr string
}

// indexKeys evaluates the dynamic instance keys of the references in expr,
// by the source range of the referenced traversal.
func (e *evaluator) indexKeys(expr hcl.Expression, sc *scope) map[hcl.Range]*dynIndex {
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		return nil
	}
	var out map[hcl.Range]*dynIndex
	entry := func(st *hclsyntax.ScopeTraversalExpr) *dynIndex {
		if !e.isReference(st.Traversal) {
			return nil
		}
		if out == nil {
			out = map[hcl.Range]*dynIndex{}
		}
		r := st.Traversal.SourceRange()
		if out[r] == nil {
			out[r] = &dynIndex{key: cty.NilVal}
		}
		return out[r]
	}
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		switch x := n.(type) {
		case *hclsyntax.IndexExpr:
			if st, ok := x.Collection.(*hclsyntax.ScopeTraversalExpr); ok {
				if d := entry(st); d != nil && d.key == cty.NilVal {
					d.key = e.evalQuiet(x.Key, sc)
				}
			}
		case *hclsyntax.RelativeTraversalExpr:
			if ie, ok := x.Source.(*hclsyntax.IndexExpr); ok {
				if st, ok := ie.Collection.(*hclsyntax.ScopeTraversalExpr); ok && len(x.Traversal) > 0 {
					if a, ok := x.Traversal[0].(hcl.TraverseAttr); ok {
						if d := entry(st); d != nil {
							d.attr = a.Name
						}
					}
				}
			}
		}
		return nil
	})
	return out
}

// isReference reports whether t names a resource, data source or module.
func (e *evaluator) isReference(t hcl.Traversal) bool {
	switch root := t.RootName(); root {
	case "data", "module":
		return true
	default:
		name, ok := attrStep(t, 1)
		if !ok {
			return false
		}
		_, declared := e.cfg.byAddr[root+"."+name]
		return declared
	}
}

// evalQuiet evaluates expr without reporting diagnostics: the expression
// is evaluated (and its problems reported) as part of its attribute. A
// sensitive result is unknown: an edge must not tell which key it is.
func (e *evaluator) evalQuiet(expr hcl.Expression, sc *scope) cty.Value {
	n := len(e.st.diags)
	v := e.eval(expr, sc)
	e.st.diags = e.st.diags[:n]
	if hasSensitive(v) {
		return cty.DynamicVal
	}
	v, _ = v.UnmarkDeep()
	return v
}

func (e *evaluator) recordTraversal(t hcl.Traversal, dyn *dynIndex, at hcl.Range, path string, rec *recorder, seen map[string]bool) {
	root := t.RootName()
	var rc *resourceConfig
	next := 2
	switch root {
	case "local":
		name, ok := attrStep(t, 1)
		if !ok || seen[e.prefixed("local."+name)] {
			return
		}
		seen[e.prefixed("local."+name)] = true
		if a, ok := e.cfg.locals[name]; ok {
			e.recordExpr(a.Expr, nil, &at, path, rec, seen)
		}
		return
	case "var":
		// In a child module, follow the variable to the argument the caller
		// passed, so edges cross module boundaries.
		name, ok := attrStep(t, 1)
		if !ok || e.parent == nil || seen[e.prefixed("var."+name)] {
			return
		}
		seen[e.prefixed("var."+name)] = true
		if a, ok := e.callArgs[name]; ok {
			e.parent.recordExpr(a.Expr, e.callScope, &at, path, rec, seen)
		}
		return
	case "module":
		// Follow the output into the called instance (or every instance
		// when the key is not known).
		name, ok := attrStep(t, 1)
		if !ok {
			return
		}
		key := cty.NilVal
		if len(t) > 2 {
			if idx, ok := t[2].(hcl.TraverseIndex); ok {
				key = idx.Key
			}
		}
		if key == cty.NilVal && dyn != nil {
			key = dyn.key
		}
		out, hasOut := refAttr(t, 2)
		if !hasOut && dyn != nil && dyn.attr != "" {
			out, hasOut = dyn.attr, true
		}
		if !hasOut {
			return
		}
		if e.registryOutputRefs(name, key, out, at, path, rec) {
			return // a module understood without its code (registry.go)
		}
		for _, child := range e.childrenOf(name) {
			if key != cty.NilVal && key.IsKnown() && !key.IsNull() &&
				child.modulePath != e.prefixed(instanceAddr("module."+name, instance{key: key})) &&
				!strings.HasSuffix(child.modulePath, "[*]") {
				continue
			}
			k := child.prefixed("output." + out)
			if seen[k] {
				continue
			}
			seen[k] = true
			if a, ok := child.cfg.outputs[out]; ok {
				child.recordExpr(a.Expr, nil, &at, path, rec, seen)
			}
		}
		return
	case "data":
		typ, ok1 := attrStep(t, 1)
		name, ok2 := attrStep(t, 2)
		if !ok1 || !ok2 {
			return
		}
		rc = e.cfg.byAddr["data."+typ+"."+name]
		next = 3
	default:
		name, ok := attrStep(t, 1)
		if !ok {
			return
		}
		rc = e.cfg.byAddr[root+"."+name]
	}
	if rc == nil {
		return
	}
	targetAttr, _ := refAttr(t, next)
	key := cty.NilVal
	if len(t) > next {
		if idx, ok := t[next].(hcl.TraverseIndex); ok {
			key = idx.Key
		}
	}
	if key == cty.NilVal && dyn != nil {
		key = dyn.key
		if targetAttr == "" {
			targetAttr = dyn.attr
		}
	}
	insts := e.expand(rc)
	var targets []string
	switch {
	case len(insts) == 1 && insts[0].unknown:
		// The instances are not known: the edge goes to the representative.
		targets = []string{instanceAddr(rc.addr(), insts[0])}
	case key != cty.NilVal && key.IsKnown() && !key.IsNull():
		targets = []string{instanceAddr(rc.addr(), instance{key: key})}
	default:
		for _, in := range insts {
			targets = append(targets, instanceAddr(rc.addr(), in))
		}
	}
	if !e.st.budget.spend(int64(len(targets))*LoopOverhead, at) {
		return
	}
	rg := e.st.pos.rng(at)
	for _, target := range targets {
		rec.res.Refs = append(rec.res.Refs, graph.Ref{Attribute: path, Target: e.prefixed(target), TargetAttribute: targetAttr, Range: rg})
	}
}

// relAttrsOf adds to into the attribute names that expr reads after a splat
// or a computed index (aws_subnet.x[*].id, aws_subnet.x[count.index].id):
// a reference to a whole resource must offer them, unknown when the
// configuration does not set them.
func relAttrsOf(expr hcl.Expression, into map[string]bool) map[string]bool {
	if into != nil {
		return into
	}
	into = map[string]bool{}
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		return into
	}
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		if rt, ok := n.(*hclsyntax.RelativeTraversalExpr); ok && len(rt.Traversal) > 0 {
			if a, ok := rt.Traversal[0].(hcl.TraverseAttr); ok {
				into[a.Name] = true
			}
		}
		return nil
	})
	return into
}

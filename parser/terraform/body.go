package terraform

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// recorder collects the ranges and references of one instance while its
// body is evaluated. A nil recorder evaluates values only.
type recorder struct {
	res   *graph.Resource
	depth int  // locals, variables and outputs followed to record an edge
	deep  bool // the depth limit was reported
}

func (r *recorder) setRange(path string, rg graph.Range) {
	if r == nil {
		return
	}
	if _, ok := r.res.Ranges[path]; !ok {
		r.res.Ranges[path] = rg
	}
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// Arguments and blocks that configure Terraform itself rather than the resource.
var metaAttrs = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true}

var metaBlocks = map[string]bool{"lifecycle": true, "provisioner": true, "connection": true}

// body evaluates a resource body (top) or a nested block body into an object
// value: attributes by name, nested blocks as tuples of objects by type.
func (e *evaluator) body(b hcl.Body, sc *scope, prefix string, top bool, rec *recorder) cty.Value {
	if lb, ok := b.(*layeredBody); ok {
		return e.layered(lb, sc, prefix, top, rec)
	}
	sb, ok := b.(*hclsyntax.Body)
	if !ok {
		return e.jsonBody(b, sc, prefix, top, rec)
	}
	obj := map[string]cty.Value{}
	names := make([]string, 0, len(sb.Attributes))
	for name := range sb.Attributes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if top && metaAttrs[name] {
			continue
		}
		a := sb.Attributes[name]
		obj[name] = e.attribute(a.Expr, sc, join(prefix, name), rec)
	}
	blocks := map[string][]cty.Value{}
	for _, blk := range sb.Blocks {
		if top && metaBlocks[blk.Type] {
			continue
		}
		if blk.Type == "dynamic" {
			e.dynamic(blk, sc, prefix, blocks, rec)
			continue
		}
		if _, isAttr := obj[blk.Type]; isAttr {
			e.diag(graph.SeverityError, "duplicate argument",
				fmt.Sprintf("%q is set both as an argument and as a block", blk.Type), blk.DefRange())
			continue
		}
		p := join(prefix, blk.Type+"."+strconv.Itoa(len(blocks[blk.Type])))
		rec.setRange(p, e.st.pos.rng(blk.DefRange()))
		blocks[blk.Type] = append(blocks[blk.Type], e.body(blk.Body, sc, p, false, rec))
	}
	for typ, vals := range blocks {
		obj[typ] = cty.TupleVal(vals)
	}
	return cty.ObjectVal(obj)
}

// jsonBody evaluates a body written in JSON syntax. Without provider schemas
// JSON cannot tell a block from an object-valued argument; both evaluate to
// the same value shape (an object, or a list of objects), which is what
// policies read.
func (e *evaluator) jsonBody(b hcl.Body, sc *scope, prefix string, top bool, rec *recorder) cty.Value {
	attrs, diags := b.JustAttributes()
	for _, d := range diags {
		e.st.addDiag(e.st.pos.diagnostic(d))
	}
	obj := map[string]cty.Value{}
	var dynamic hcl.Expression
	for _, name := range sortedKeys(attrs) {
		a := attrs[name]
		if top && (metaAttrs[name] || metaBlocks[name]) {
			continue
		}
		if name == "dynamic" {
			dynamic = a.Expr
			continue
		}
		obj[name] = e.attribute(a.Expr, sc, join(prefix, name), rec)
	}
	if dynamic != nil {
		e.jsonDynamic(dynamic, sc, prefix, obj, rec)
	}
	return cty.ObjectVal(obj)
}

// jsonObject evaluates an object written in JSON syntax as a block body:
// its properties are arguments, and a "dynamic" property generates blocks.
func (e *evaluator) jsonObject(expr hcl.Expression, sc *scope, prefix string, rec *recorder) cty.Value {
	pairs, diags := hcl.ExprMap(expr)
	if diags.HasErrors() {
		return e.attribute(expr, sc, prefix, rec)
	}
	obj := map[string]cty.Value{}
	var dynamic hcl.Expression
	for _, kv := range pairs {
		k, d := kv.Key.Value(nil)
		if d.HasErrors() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
			continue
		}
		if name := k.AsString(); name == "dynamic" {
			dynamic = kv.Value
		} else {
			obj[name] = e.attribute(kv.Value, sc, join(prefix, name), rec)
		}
	}
	if dynamic != nil {
		e.jsonDynamic(dynamic, sc, prefix, obj, rec)
	}
	return cty.ObjectVal(obj)
}

// attribute evaluates one attribute and records the ranges of the
// expression and of its literal elements, and the references it makes.
func (e *evaluator) attribute(expr hcl.Expression, sc *scope, path string, rec *recorder) cty.Value {
	v := e.eval(expr, sc)
	if rec != nil {
		e.recordRanges(expr, path, rec)
		e.recordRefs(expr, sc, path, rec, map[string]bool{})
	}
	return v
}

// recordRanges records the range of expr at path and descends into tuple
// and object constructors, so list elements and object keys get their own.
func (e *evaluator) recordRanges(expr hcl.Expression, path string, rec *recorder) {
	rec.setRange(path, e.st.pos.rng(expr.Range()))
	if elems, diags := hcl.ExprList(expr); !diags.HasErrors() && isLiteralList(expr) {
		for i, el := range elems {
			e.recordRanges(el, path+"."+strconv.Itoa(i), rec)
		}
		return
	}
	if pairs, diags := hcl.ExprMap(expr); !diags.HasErrors() && isLiteralMap(expr) {
		for _, kv := range pairs {
			k, d := kv.Key.Value(nil)
			if d.HasErrors() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
				continue
			}
			e.recordRanges(kv.Value, path+"."+k.AsString(), rec)
		}
	}
}

func isLiteralList(expr hcl.Expression) bool {
	switch expr.(type) {
	case *hclsyntax.TupleConsExpr:
		return true
	case hclsyntax.Expression:
		return false
	}
	return true // JSON arrays
}

func isLiteralMap(expr hcl.Expression) bool {
	switch expr.(type) {
	case *hclsyntax.ObjectConsExpr:
		return true
	case hclsyntax.Expression:
		return false
	}
	return true // JSON objects
}

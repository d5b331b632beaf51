package terraform

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Sensitive values never reach an output other than the values themselves
// (which rules read, and writers show as "(sensitive)"): not a diagnostic,
// an address, an origin, a range or meta. Redaction follows the
// sensitiveMark taint of cty values, never a search through finished text:
//
//   - a diagnostic from evaluating an expression whose inputs (the values
//     the expression references, or a call of sensitive()) carry the mark
//     keeps its summary and range, and its detail is replaced by a fixed
//     text naming the function and argument that failed;
//   - a sensitive for_each or count (of a resource, a module call or a
//     dynamic block) is an error, and expands to one representative
//     instance (key "(sensitive)" in addresses, unknown count.index,
//     each.key, each.value and iterator): neither the keys nor the number
//     of instances, blocks or findings tell anything of the secret;
//   - origins carry no sensitive scalar and no path through a sensitive
//     map key.

// hasSensitive reports whether v or any part of it is marked sensitive.
// It visits every part of v: callers that may meet one large value many
// times memoise it (evaluator.ctxTainted) or bound it (mayBeSensitive).
func hasSensitive(v cty.Value) bool {
	found, _ := sensitiveWithin(v, -1)
	return found
}

// maxTaintWalk bounds the parts of a value visited by mayBeSensitive.
const maxTaintWalk = 1024

// mayBeSensitive reports whether v or any part of it may be marked
// sensitive: true when it is, or when v is too large to tell cheaply.
func mayBeSensitive(v cty.Value) bool {
	found, complete := sensitiveWithin(v, maxTaintWalk)
	return found || !complete
}

// sensitiveWithin walks v (at most limit parts when limit >= 0) and
// reports whether it found a sensitive mark, and whether it saw all of v.
func sensitiveWithin(v cty.Value, limit int) (found, complete bool) {
	var walk func(cty.Value) bool
	walk = func(v cty.Value) bool {
		if limit >= 0 {
			if limit == 0 {
				complete = false
				return true
			}
			limit--
		}
		if v.HasMark(sensitiveMark{}) {
			found = true
			return true
		}
		// Unmarking copies the marks: a scalar needs none of it.
		ty := v.Type()
		if !ty.IsCollectionType() && !ty.IsObjectType() && !ty.IsTupleType() {
			return false
		}
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			return false
		}
		if ty.IsObjectType() {
			// In any order (an object's element iterator sorts its
			// attribute names first): whether a part was found, or the
			// walk was cut short, does not depend on which parts it saw.
			for name := range ty.AttributeTypes() {
				if walk(v.GetAttr(name)) {
					return true
				}
			}
			return false
		}
		for it := v.ElementIterator(); it.Next(); {
			if _, ev := it.Element(); walk(ev) {
				return true
			}
		}
		return false
	}
	complete = true
	walk(v)
	return found, complete
}

// isSensitiveFunction reports whether a function call name is sensitive():
// the one function that creates the mark from nothing.
func isSensitiveFunction(name string) bool {
	return name == "sensitive" || name == "core::sensitive"
}

// taint tells whether the evaluation of an expression could see a
// sensitive value.
type taint struct {
	pos *positions
}

// expr reports whether evaluating expr in ctx can involve a sensitive
// value: a value it references (looked up in ctx and its parents) carries
// the mark somewhere, or it calls sensitive(). It errs on the side of
// "yes": a traversal that cannot be resolved counts its whole root.
func (t taint) expr(expr hcl.Expression, ctx *hcl.EvalContext) (tainted bool) {
	if expr == nil {
		return false
	}
	defer func() {
		if recover() != nil {
			tainted = true
		}
	}()
	for _, tr := range expr.Variables() {
		if ctx == nil {
			break
		}
		if v, diags := tr.TraverseAbs(ctx); !diags.HasErrors() {
			if mayBeSensitive(v) {
				return true
			}
			continue
		}
		if v, ok := lookupRoot(ctx, tr.RootName()); ok && mayBeSensitive(v) {
			return true
		}
	}
	return t.callsSensitive(expr)
}

// inputsSensitive reports whether the result of evaluating expr in ctx
// (built for scope sc) must be marked sensitive: expr calls sensitive(), or
// a value it references is or contains a sensitive value. This is a
// conservative taint: every value an expression references counts,
// including those read only inside can() and try(), in the collection or
// condition of a for expression, or as an index key, since hcl and cty
// drop the mark there (an object indexed by a sensitive key, can() and
// try() return unmarked results) and what the result is still depends on
// the secret. The result is marked as a whole; rules still read the real
// value.
func (e *evaluator) inputsSensitive(expr hcl.Expression, ctx *hcl.EvalContext, sc *scope) bool {
	t := taint{pos: e.st.pos}
	if t.callsSensitive(expr) {
		return true
	}
	// ctxTainted is exact for stored values (and remembered); the check
	// by reference then narrows it to the parts the expression reads.
	return e.ctxTainted(ctx, sc) && t.expr(expr, ctx)
}

func lookupRoot(ctx *hcl.EvalContext, name string) (cty.Value, bool) {
	for c := ctx; c != nil; c = c.Parent() {
		if v, ok := c.Variables[name]; ok {
			return v, true
		}
	}
	return cty.NilVal, false
}

// callsSensitive reports whether expr contains a call of sensitive(). An
// expression in JSON syntax (a template inside a string) is checked by its
// source text.
func (t taint) callsSensitive(expr hcl.Expression) bool {
	// The text decides first: an expression whose source does not spell
	// "sensitive" calls no sensitive() (most expressions, evaluated once
	// per instance, end here without walking their syntax).
	r := expr.Range()
	src, known := t.pos.source(r.Filename)
	known = known && r.Start.Byte >= 0 && r.End.Byte <= len(src) && r.Start.Byte <= r.End.Byte
	if known && !bytes.Contains(src[r.Start.Byte:r.End.Byte], []byte("sensitive")) {
		return false
	}
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		return true // spelled in the text, or cannot tell: assume it does
	}
	found := false
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		if call, ok := n.(*hclsyntax.FunctionCallExpr); ok && isSensitiveFunction(call.Name) {
			found = true
		}
		return nil
	})
	return found
}

// contextTainted reports whether the variables of an evaluation context
// may hold a sensitive value (bounded: a large value counts as one).
func contextTainted(ctx *hcl.EvalContext) bool {
	if ctx == nil {
		return false
	}
	for _, v := range ctx.Variables {
		if mayBeSensitive(v) {
			return true
		}
	}
	return false
}

// ctxTainted reports whether the variables of ctx, which context built for
// an expression evaluated in scope sc, hold a sensitive value. The values
// of variables, locals, resource instances and module outputs are stored
// once evaluated, and so is whether they hold one: an expression that
// fails for every one of 10,000 instances does not walk a large local
// 10,000 times. Anything else (iterators, each, count, a value cut short
// by a cycle) is walked, bounded.
func (e *evaluator) ctxTainted(ctx *hcl.EvalContext, sc *scope) bool {
	if ctx == nil {
		return false
	}
	for root, v := range ctx.Variables {
		var tainted bool
		if _, iter := sc.iterator(root); iter {
			tainted = mayBeSensitive(v)
		} else {
			switch root {
			case "var":
				tainted = e.namedTainted(v, "var.", e.vars)
			case "local":
				tainted = e.namedTainted(v, "local.", e.locals)
			case "module":
				tainted = e.modulesTainted(v)
			case "data":
				tainted = eachAttr(v, func(typ string, byName cty.Value) bool {
					return e.resourcesTainted(byName, "data."+typ+".")
				})
			case "count", "each", "path", "terraform", "ephemeral":
				tainted = mayBeSensitive(v)
			default:
				tainted = e.resourcesTainted(v, root+".")
			}
		}
		if tainted {
			return true
		}
	}
	return false
}

// iterator returns the value of a dynamic block iterator in scope.
func (s *scope) iterator(name string) (cty.Value, bool) {
	if s == nil {
		return cty.NilVal, false
	}
	v, ok := s.iterators[name]
	return v, ok
}

// eachAttr calls f for each attribute of an object value (the objects
// context builds), until it returns true. Anything else is walked.
func eachAttr(obj cty.Value, f func(name string, v cty.Value) bool) bool {
	obj, marks := obj.Unmark()
	if _, ok := marks[sensitiveMark{}]; ok {
		return true
	}
	if !obj.IsKnown() || obj.IsNull() || !obj.Type().IsObjectType() {
		return mayBeSensitive(obj)
	}
	for name := range obj.Type().AttributeTypes() {
		if f(name, obj.GetAttr(name)) {
			return true
		}
	}
	return false
}

// memoSensitive is hasSensitive of a stored value, remembered by key.
func (e *evaluator) memoSensitive(key string, v cty.Value) bool {
	if s, ok := e.st.secrets[key]; ok {
		return s
	}
	if e.st.secrets == nil {
		e.st.secrets = map[string]bool{}
	}
	s := hasSensitive(v)
	e.st.secrets[key] = s
	return s
}

// namedTainted checks the object of variables or locals an expression
// references: each stored value once.
func (e *evaluator) namedTainted(obj cty.Value, prefix string, stored map[string]cty.Value) bool {
	return eachAttr(obj, func(name string, v cty.Value) bool {
		if sv, ok := stored[name]; ok {
			return e.memoSensitive(e.prefixed(prefix+name), sv)
		}
		return mayBeSensitive(v) // not stored: cut short by a cycle, or undeclared
	})
}

// resourcesTainted checks the object of resources of one type (prefix
// "aws_x." or "data.aws_x.") an expression references: the value of a
// resource is built from its stored instances.
func (e *evaluator) resourcesTainted(obj cty.Value, prefix string) bool {
	return eachAttr(obj, func(name string, v cty.Value) bool {
		rc := e.cfg.byAddr[prefix+name]
		if rc == nil {
			return mayBeSensitive(v)
		}
		insts, ok := e.expansions[rc.addr()]
		if !ok {
			return mayBeSensitive(v)
		}
		// Once every instance is stored, the answer for the whole
		// resource is final: remembered, so that 10,000 instances
		// reading one another are not walked 10,000 times.
		key := e.prefixed("resource:" + rc.addr())
		if s, ok := e.st.secrets[key]; ok {
			return s
		}
		for _, in := range insts {
			if in.sensitive {
				e.rememberSecret(key, true)
				return true
			}
		}
		for _, in := range insts {
			addr := instanceAddr(rc.addr(), in)
			iv, ok := e.instVals[addr]
			if !ok {
				return mayBeSensitive(v)
			}
			if e.memoSensitive(e.prefixed("instance:"+addr), iv) {
				e.rememberSecret(key, true)
				return true
			}
		}
		e.rememberSecret(key, false)
		return false
	})
}

func (e *evaluator) rememberSecret(key string, s bool) {
	if e.st.secrets == nil {
		e.st.secrets = map[string]bool{}
	}
	e.st.secrets[key] = s
}

// modulesTainted checks the object of module calls an expression
// references: the value of a call is built from the stored outputs of its
// instances. Every stored output of an instance counts, read or not.
func (e *evaluator) modulesTainted(obj cty.Value) bool {
	return eachAttr(obj, func(name string, v cty.Value) bool {
		insts, ok := e.calls[name]
		if !ok {
			return mayBeSensitive(v)
		}
		for _, in := range insts {
			if in.sensitive {
				return true
			}
		}
		for _, in := range insts {
			c := e.children[e.prefixed(instanceAddr("module."+name, in))]
			if c == nil {
				continue // not loaded: its outputs are unknown
			}
			for out, ov := range c.outputs {
				if e.memoSensitive(c.prefixed("output:"+out), ov) {
					return true
				}
			}
		}
		return false
	})
}

// evalDiagnostics converts the diagnostics of evaluating expr in ctx. They
// are warnings: evaluation problems leave the value unknown (syntax errors
// found while evaluating stay errors). When the
// inputs of expr hold a sensitive value, the detail, which may quote any
// value (cannot convert "..." to bool, the key "..." is duplicated), is
// replaced by a fixed text that names the function and argument.
func (e *evaluator) evalDiagnostics(diags hcl.Diagnostics, expr hcl.Expression, ctx *hcl.EvalContext, sc *scope) []graph.Diagnostic {
	if len(diags) == 0 {
		return nil
	}
	t := taint{pos: e.st.pos}
	tainted := e.ctxTainted(ctx, sc) || t.callsSensitive(expr)
	out := make([]graph.Diagnostic, 0, len(diags))
	for _, d := range diags {
		gd := e.st.pos.diagnostic(d)
		if d.Expression != nil || d.Severity != hcl.DiagError {
			// Evaluating an expression failed: its value is unknown. A
			// diagnostic that no expression produced comes from parsing
			// or checking source met while evaluating (a template in a
			// JSON string): a syntax error, which stays an error.
			gd.Severity = graph.SeverityWarning
		}
		if tainted {
			gd.Detail = redactedDetail(t, d, expr)
		}
		out = append(out, gd)
	}
	return out
}

// redactedDetail is the detail of a diagnostic whose expression involves a
// sensitive value: the function and argument position that failed when the
// diagnostic is about a function call, a fixed text otherwise.
func redactedDetail(t taint, d *hcl.Diagnostic, top hcl.Expression) string {
	const hidden = "The details are not shown because they involve a sensitive value."
	extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
	if !ok || extra.CalledFunctionName() == "" {
		return hidden
	}
	name := extra.CalledFunctionName()
	call, argIndex := findCall(top, name, d.Expression)
	if argIndex > 0 {
		if t.expr(d.Expression, d.EvalContext) {
			return fmt.Sprintf("Invalid value for argument %d of %s: the value is sensitive and is not shown.", argIndex, name)
		}
		return fmt.Sprintf("Invalid value for argument %d of %s; the details are not shown because the expression involves a sensitive value.", argIndex, name)
	}
	if call != nil {
		var tainted []string
		for i, a := range call.Args {
			if t.expr(a, d.EvalContext) {
				tainted = append(tainted, strconv.Itoa(i+1))
			}
		}
		switch len(tainted) {
		case 0:
		case 1:
			return fmt.Sprintf("Call to function %s failed: argument %s is sensitive, so the details are not shown.", name, tainted[0])
		default:
			return fmt.Sprintf("Call to function %s failed: arguments %s are sensitive, so the details are not shown.", name, strings.Join(tainted, ", "))
		}
	}
	return fmt.Sprintf("Call to function %s failed; the details are not shown because they involve a sensitive value.", name)
}

// findCall finds, in top, the call of function name that the diagnostic
// expression at belongs to: the call itself (argIndex 0), or the call of
// which it is an argument (argIndex from 1).
func findCall(top hcl.Expression, name string, at hcl.Expression) (call *hclsyntax.FunctionCallExpr, argIndex int) {
	se, ok := top.(hclsyntax.Expression)
	if !ok || at == nil {
		return nil, 0
	}
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		c, ok := n.(*hclsyntax.FunctionCallExpr)
		if !ok || c.Name != name || call != nil {
			return nil
		}
		if hcl.Expression(c) == at {
			call = c
			return nil
		}
		for i, a := range c.Args {
			if hcl.Expression(a) == at {
				call, argIndex = c, i+1
				return nil
			}
		}
		return nil
	})
	return call, argIndex
}

// panicDetail describes a panic met while evaluating an expression; the
// panic value is not shown when the expression's inputs are sensitive.
func panicDetail(r any, ctx *hcl.EvalContext) string {
	if contextTainted(ctx) {
		return "the expression uses a sensitive value, so the details are not shown"
	}
	return fmt.Sprint(r)
}

// sensitiveForEach reports a sensitive for_each collection (of a resource,
// a module call or a dynamic block), as Terraform does for resources and
// modules: its keys would become instance addresses, and the number of
// instances or blocks, each judged by the rules, would tell its size. It
// returns the one representative instance the collection expands to, with
// a sensitive unknown key and value; ok is false when the collection is
// not sensitive.
func (e *evaluator) sensitiveForEach(marks cty.ValueMarks, what string, at hcl.Range, bind func(k, v cty.Value) *scope) (in instance, ok bool) {
	if _, sensitive := marks[sensitiveMark{}]; !sensitive {
		return instance{}, false
	}
	if what == "for_each" {
		e.diag(graph.SeverityError, "Invalid for_each argument",
			"Sensitive values, or values derived from sensitive values, cannot be used as for_each arguments: "+
				"the instance keys and their number would show them. "+
				`One representative instance is evaluated, under the key "(sensitive)", with each.key and each.value unknown.`, at)
	} else {
		e.diag(graph.SeverityError, "Invalid dynamic block for_each argument",
			"The collection of this dynamic block is sensitive, or derived from a sensitive value: the number of blocks would show it. "+
				"One representative block is evaluated, with the iterator's key and value unknown, so rules cannot judge the blocks it stands for.", at)
	}
	return instance{key: cty.UnknownVal(cty.String), unknown: true, sensitive: true,
		scope: bind(cty.UnknownVal(cty.String).Mark(sensitiveMark{}), cty.DynamicVal.WithMarks(marks))}, true
}

// sensitiveCount expands a sensitive count: an error, as in Terraform, and
// one representative instance (key "(sensitive)") with a sensitive unknown
// count.index, whatever the count: the number of instances, each judged
// by the rules, would tell it.
func (e *evaluator) sensitiveCount(at hcl.Range) instance {
	e.diag(graph.SeverityError, "Invalid count argument",
		"Sensitive values, or values derived from sensitive values, cannot be used as count arguments: "+
			"the number of instances would show them. "+
			`One representative instance is evaluated, under the key "(sensitive)", with count.index unknown.`, at)
	return instance{key: cty.UnknownVal(cty.Number), unknown: true, sensitive: true,
		scope: &scope{count: cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number).Mark(sensitiveMark{})})}}
}

// markSensitiveExpansion marks the value of a whole resource or module
// (keyed by instance) sensitive when its expansion was: its keys are.
func markSensitiveExpansion(v cty.Value, insts []instance) cty.Value {
	for _, in := range insts {
		if in.sensitive {
			return v.Mark(sensitiveMark{})
		}
	}
	return v
}

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
//   - a sensitive for_each or count is an error, and its instances get
//     placeholder keys (see instanceAddr);
//   - origins carry no sensitive scalar and no path through a sensitive
//     map key.

// secretPlaceholder is the instance key shown for the n-th instance (from 1)
// of a resource or module whose for_each or count is sensitive.
func secretPlaceholder(n int) string {
	return "(sensitive " + strconv.Itoa(n) + ")"
}

// hasSensitive reports whether v or any part of it is marked sensitive.
func hasSensitive(v cty.Value) bool {
	if v.HasMark(sensitiveMark{}) {
		return true
	}
	if !v.ContainsMarked() {
		return false
	}
	_, pvms := v.UnmarkDeepWithPaths()
	for _, pvm := range pvms {
		if _, ok := pvm.Marks[sensitiveMark{}]; ok {
			return true
		}
	}
	return false
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
			if hasSensitive(v) {
				return true
			}
			continue
		}
		if v, ok := lookupRoot(ctx, tr.RootName()); ok && hasSensitive(v) {
			return true
		}
	}
	return t.callsSensitive(expr)
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
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		r := expr.Range()
		src, known := t.pos.source(r.Filename)
		if !known || r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte {
			return true // cannot tell: assume it does
		}
		return bytes.Contains(src[r.Start.Byte:r.End.Byte], []byte("sensitive"))
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
// (the names an expression references, resolved by evaluator.context) hold
// a sensitive value.
func contextTainted(ctx *hcl.EvalContext) bool {
	if ctx == nil {
		return false
	}
	for _, v := range ctx.Variables {
		if hasSensitive(v) {
			return true
		}
	}
	return false
}

// evalDiagnostics converts the diagnostics of evaluating expr in ctx. They
// are warnings: evaluation problems leave the value unknown. When the
// inputs of expr hold a sensitive value, the detail, which may quote any
// value (cannot convert "..." to bool, the key "..." is duplicated), is
// replaced by a fixed text that names the function and argument.
func (e *evaluator) evalDiagnostics(diags hcl.Diagnostics, expr hcl.Expression, ctx *hcl.EvalContext) []graph.Diagnostic {
	if len(diags) == 0 {
		return nil
	}
	t := taint{pos: e.st.pos}
	tainted := contextTainted(ctx) || t.callsSensitive(expr)
	out := make([]graph.Diagnostic, 0, len(diags))
	for _, d := range diags {
		gd := e.st.pos.diagnostic(d)
		gd.Severity = graph.SeverityWarning
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

// forEachSecret is what eachInstances knows of a sensitive for_each
// collection.
type forEachSecret struct {
	sensitive bool // the collection is marked sensitive
	keyed     bool // its keys would be instance keys (resources, modules)
}

// sensitiveForEach reports a sensitive resource or module for_each, as
// Terraform does: its keys would become instance addresses. Dynamic blocks
// may iterate over sensitive values; their keys are in no address.
func (e *evaluator) sensitiveForEach(marks cty.ValueMarks, what string, at hcl.Range) forEachSecret {
	_, sensitive := marks[sensitiveMark{}]
	s := forEachSecret{sensitive: sensitive, keyed: sensitive && what == "for_each"}
	if s.keyed {
		e.diag(graph.SeverityError, "Invalid for_each argument",
			"Sensitive values, or values derived from sensitive values, cannot be used as for_each arguments: "+
				"the instance keys would show them. The instances are evaluated under placeholder keys.", at)
	}
	return s
}

// instance is one element of a for_each collection: the key in the scope
// (each.key, the iterator's key) is sensitive when the collection is.
func (s forEachSecret) instance(k, val cty.Value, bind func(k, v cty.Value) *scope) instance {
	in := instance{key: k}
	if s.sensitive {
		k = k.Mark(sensitiveMark{})
	}
	if s.keyed {
		in.sensitive = 1 // numbered once the instances are sorted
	}
	in.scope = bind(k, val)
	return in
}

// numberSensitive gives the instances of a sensitive for_each their
// placeholder numbers, in key order.
func numberSensitive(insts []instance) {
	for i := range insts {
		if insts[i].sensitive > 0 {
			insts[i].sensitive = i + 1
		}
	}
}

// sensitiveCount expands a sensitive count: an error, as in Terraform, and
// the instances are evaluated under placeholder keys with a sensitive
// count.index, so rules still judge their values. A count that is not a
// whole number, or is out of bounds, gives one representative instance:
// its value is not shown.
func (e *evaluator) sensitiveCount(v cty.Value, at hcl.Range) []instance {
	e.diag(graph.SeverityError, "Invalid count argument",
		"Sensitive values, or values derived from sensitive values, cannot be used as count arguments: "+
			"the instance keys would show them. The instances are evaluated under placeholder keys.", at)
	unknown := []instance{{key: cty.UnknownVal(cty.Number), unknown: true,
		scope: &scope{count: cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number).Mark(sensitiveMark{})})}}}
	if !v.IsKnown() || v.IsNull() {
		return unknown
	}
	n, err := convertNumber(v)
	if err != nil || n < 0 || n > MaxInstances {
		return unknown
	}
	insts := make([]instance, n)
	for i := range insts {
		idx := cty.NumberIntVal(int64(i))
		insts[i] = instance{key: idx, sensitive: i + 1,
			scope: &scope{count: cty.ObjectVal(map[string]cty.Value{"index": idx.Mark(sensitiveMark{})})}}
	}
	return insts
}

// markSensitiveExpansion marks the value of a whole resource or module
// (keyed by instance) sensitive when its expansion was: its keys are.
func markSensitiveExpansion(v cty.Value, insts []instance) cty.Value {
	for _, in := range insts {
		if in.sensitive > 0 {
			return v.Mark(sensitiveMark{})
		}
	}
	return v
}

package cloudformation

import (
	"fmt"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// tri is a three-valued truth value (Kleene logic).
type tri int8

const (
	tUnknown tri = iota
	tFalse
	tTrue
)

func triOf(b bool) tri {
	if b {
		return tTrue
	}
	return tFalse
}

func (x tri) not() tri {
	switch x {
	case tTrue:
		return tFalse
	case tFalse:
		return tTrue
	}
	return tUnknown
}

// condition evaluates the named condition of the Conditions section,
// memoised; a cycle or an undeclared name is reported (at rng, where the
// name is used) and unknown.
//
// A condition computed from a NoEcho parameter taints (t.taint) the
// evaluation that asks for it: the value an Fn::If picks with it tells
// something about the secret, and is sensitive.
func (t *tmpl) condition(name string, rng graph.Range) tri {
	if v, ok := t.conds[name]; ok {
		t.taint = t.taint || t.condTaint[name]
		return v
	}
	def := t.conditions.Get(name)
	if def == nil {
		t.warnf(rng, "undeclared condition", fmt.Sprintf("condition %s is not declared in the Conditions section", name))
		t.conds[name] = tUnknown
		return tUnknown
	}
	if t.condBusy[name] {
		t.warnf(rng, "condition cycle", fmt.Sprintf("condition %s depends on itself", name))
		return tUnknown
	}
	t.condBusy[name] = true
	// Conditions are evaluated without loop variables: they are global.
	saved, savedTaint := t.env, t.taint
	t.env, t.taint = nil, false
	refusals := t.budget.refusals
	v := t.condExpr(def)
	tainted := t.taint
	t.env, t.taint = saved, savedTaint || tainted
	delete(t.condBusy, name)
	if t.budget.refusals == refusals {
		// Not memoised when a value was refused by the budget: a later
		// resource evaluates it from its own allowance.
		t.conds[name] = v
		t.condTaint[name] = tainted
	}
	return v
}

// tainted evaluates a condition expression and reports whether it was
// computed from a NoEcho parameter.
func (t *tmpl) tainted(eval func() tri) (tri, bool) {
	saved := t.taint
	t.taint = false
	v := eval()
	tainted := t.taint
	t.taint = saved || tainted
	return v, tainted
}

// condExpr evaluates a condition expression: Fn::Equals, Fn::And, Fn::Or,
// Fn::Not, or {Condition: name}.
func (t *tmpl) condExpr(n *Node) tri {
	if n == nil {
		return tUnknown
	}
	if n.Kind == Bool {
		return triOf(n.Value == "true")
	}
	fn, arg, ok := intrinsic(n)
	if !ok && n.Kind == Mapping && len(n.Keys) == 1 && n.Keys[0].Value == "Condition" {
		fn, arg, ok = "Condition", n.Values[0], true
	}
	if !ok {
		t.warnf(n.Range, "invalid condition", "a condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or {Condition: name}")
		return tUnknown
	}
	if !t.enterFn(n) {
		return tUnknown
	}
	defer t.leaveFn()
	switch fn {
	case "Condition":
		if arg == nil || arg.Kind != String {
			t.warnf(n.Range, "invalid Condition", "Condition takes the name of a condition")
			return tUnknown
		}
		return t.condition(arg.Value, arg.Range)
	case "Fn::Equals":
		return t.equals(n, arg)
	case "Fn::Not":
		if arg == nil || arg.Kind != Sequence || len(arg.Items) != 1 {
			t.warnf(n.Range, "invalid Fn::Not", "Fn::Not takes a list of one condition")
			return tUnknown
		}
		return t.condExpr(arg.Items[0]).not()
	case "Fn::And", "Fn::Or":
		if arg == nil || arg.Kind != Sequence || len(arg.Items) < 2 || len(arg.Items) > 10 {
			t.warnf(n.Range, "invalid "+fn, fn+" takes a list of 2 to 10 conditions")
			return tUnknown
		}
		// Every operand is evaluated, so that each problem is reported.
		results := make([]tri, len(arg.Items))
		for i, it := range arg.Items {
			results[i] = t.condExpr(it)
		}
		return kleene(fn == "Fn::And", results)
	}
	t.warnf(n.Range, "invalid condition", fn+" is not a condition function; use Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition")
	return tUnknown
}

// kleene combines truth values with And (and) or Or (!and): a dominating
// known operand decides; otherwise any unknown operand makes it unknown.
func kleene(and bool, xs []tri) tri {
	dominant, neutral := tFalse, tTrue
	if !and {
		dominant, neutral = tTrue, tFalse
	}
	out := neutral
	for _, x := range xs {
		switch x {
		case dominant:
			return dominant
		case tUnknown:
			out = tUnknown
		}
	}
	return out
}

// equals evaluates Fn::Equals: known when both values are wholly known.
func (t *tmpl) equals(n, arg *Node) tri {
	if arg == nil || arg.Kind != Sequence || len(arg.Items) != 2 {
		t.warnf(n.Range, "invalid Fn::Equals", "Fn::Equals takes a list of two values")
		return tUnknown
	}
	a, b := t.eval(arg.Items[0]), t.eval(arg.Items[1])
	if secret(a, b) {
		t.taint = true
	}
	if !a.known() || !b.known() {
		return tUnknown
	}
	return triOf(sameValue(a, b))
}

// sameValue compares two known values as CloudFormation does: scalars by
// their text (a parameter's "80" equals the number 80), lists by element,
// mappings by entry.
func sameValue(a, b *value) bool {
	if a.isScalar() && b.isScalar() {
		return a.text == b.text
	}
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case vList:
		if len(a.items) != len(b.items) {
			return false
		}
		for i := range a.items {
			if !sameValue(a.items[i], b.items[i]) {
				return false
			}
		}
		return true
	case vMap:
		if len(a.keys) != len(b.keys) {
			return false
		}
		for _, k := range a.keys {
			bv, ok := b.fields[k]
			if !ok || !sameValue(a.fields[k], bv) {
				return false
			}
		}
		return true
	}
	return true // null, no value
}

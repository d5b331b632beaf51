package terraform

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// resourceValue is the value of a resource reference: an instance object
// whose configured attributes are known and every other attribute named in
// attrs is unknown, aggregated over instances as Terraform does (a tuple for
// count, an object for for_each).
func (e *evaluator) resourceValue(rc *resourceConfig, attrs map[string]bool) cty.Value {
	memo := rc.addr() + "|" + strings.Join(sortedKeys(attrs), ",")
	if v, ok := e.refVals[memo]; ok {
		return v
	}
	v := markSensitiveExpansion(e.buildResourceValue(rc, attrs), e.expansions[rc.addr()])
	for k := range e.st.inProgress {
		if strings.HasPrefix(k, e.prefixed(rc.addr())) {
			return v // part of a cycle: do not remember a value cut short
		}
	}
	e.refVals[memo] = v
	return v
}

func (e *evaluator) buildResourceValue(rc *resourceConfig, attrs map[string]bool) cty.Value {
	insts := e.expand(rc)
	if rc.count == nil && rc.forEach == nil {
		if len(insts) == 0 {
			return cty.DynamicVal
		}
		return withAttrs(e.instanceValue(rc, insts[0]), attrs)
	}
	for _, in := range insts {
		if in.unknown {
			return cty.DynamicVal
		}
	}
	if rc.count != nil {
		if len(insts) == 0 {
			return cty.EmptyTupleVal
		}
		elems := make([]cty.Value, len(insts))
		for i, in := range insts {
			elems[i] = withAttrs(e.instanceValue(rc, in), attrs)
		}
		return cty.TupleVal(elems)
	}
	obj := map[string]cty.Value{}
	for _, in := range insts {
		obj[in.key.AsString()] = withAttrs(e.instanceValue(rc, in), attrs)
	}
	return cty.ObjectVal(obj)
}

// withAttrs makes each attribute of attrs that obj does not configure (absent
// or null) unknown: the provider may compute it.
func withAttrs(obj cty.Value, attrs map[string]bool) cty.Value {
	if !obj.IsKnown() || obj.IsNull() || !obj.Type().IsObjectType() {
		return cty.DynamicVal
	}
	m := obj.AsValueMap()
	if m == nil {
		m = map[string]cty.Value{}
	}
	for a := range attrs {
		if a == "*" {
			continue
		}
		if v, ok := m[a]; !ok || v.IsNull() {
			m[a] = cty.DynamicVal
		}
	}
	return cty.ObjectVal(m)
}

// instanceValue evaluates the configured attributes of one instance.
func (e *evaluator) instanceValue(rc *resourceConfig, in instance) cty.Value {
	addr := instanceAddr(rc.addr(), in)
	if v, ok := e.instVals[addr]; ok {
		return v
	}
	key := addr
	if !e.push(key, rc.block.DefRange) {
		return cty.DynamicVal
	}
	v := e.body(rc.block.Body, in.scope, "", true, nil)
	e.pop(key)
	e.instVals[addr] = v
	return v
}

// instanceAddr is Terraform's instance address: name, name[0], name["k"];
// a representative instance of an unknown collection is name[*].
func instanceAddr(base string, in instance) string {
	switch {
	case in.key == cty.NilVal:
		return base
	case in.sensitive:
		return base + "[" + strconv.Quote(graph.SensitivePlaceholder) + "]"
	case in.unknown || !in.key.IsKnown():
		return base + "[*]"
	case in.key.Type() == cty.Number:
		bf := in.key.AsBigFloat()
		return base + "[" + numberText(bf) + "]"
	default:
		return base + "[" + strconv.Quote(in.key.AsString()) + "]"
	}
}

// expand evaluates a resource's count or for_each into its instances.
func (e *evaluator) expand(rc *resourceConfig) []instance {
	addr := rc.addr()
	if insts, ok := e.expansions[addr]; ok {
		return insts
	}
	key := "expand:" + addr
	if !e.push(key, rc.block.DefRange) {
		return []instance{{key: cty.UnknownVal(cty.DynamicPseudoType), unknown: true,
			scope: &scope{count: cty.DynamicVal, each: cty.DynamicVal}}}
	}
	var insts []instance
	switch {
	case rc.count != nil:
		insts = e.expandCount(rc.count)
	case rc.forEach != nil:
		insts = e.expandForEach(rc.forEach)
	default:
		insts = e.admitted([]instance{{}}, rc.block.DefRange, instance{})
	}
	e.pop(key)
	e.expansions[addr] = insts
	return insts
}

func (e *evaluator) expandCount(expr hcl.Expression) []instance {
	unknown := []instance{{key: cty.UnknownVal(cty.Number), unknown: true,
		scope: &scope{count: cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)})}}}
	v, marks := e.eval(expr, nil).Unmark()
	if _, secret := marks[sensitiveMark{}]; secret {
		rep := e.sensitiveCount(expr.Range())
		return e.admitted([]instance{rep}, expr.Range(), rep)
	}
	if !v.IsKnown() {
		return unknown
	}
	if v.IsNull() {
		e.diag(graph.SeverityError, "invalid count argument", "count must not be null", expr.Range())
		return nil
	}
	n, err := convertNumber(v)
	if err != nil {
		e.diag(graph.SeverityWarning, "invalid count argument", err.Error(), expr.Range())
		return unknown
	}
	if n < 0 {
		e.diag(graph.SeverityError, "invalid count argument", "count must not be negative", expr.Range())
		return nil
	}
	if k := e.st.budget.admit(n, expr.Range()); k < n {
		rep := unknown[0]
		rep.dropped = k == 0
		return []instance{rep}
	}
	insts := make([]instance, n)
	from := cty.True.WithMarks(marks)
	for i := range insts {
		idx := cty.NumberIntVal(int64(i))
		insts[i] = instance{key: idx, scope: &scope{count: cty.ObjectVal(map[string]cty.Value{"index": idx})}, from: from}
	}
	return insts
}

func convertNumber(v cty.Value) (int, error) {
	if v.Type() == cty.String {
		f, _, err := big.ParseFloat(v.AsString(), 10, 512, big.ToNearestEven)
		if err != nil {
			return 0, fmt.Errorf("count must be a whole number, got %q", v.AsString())
		}
		v = cty.NumberVal(f)
	}
	if v.Type() != cty.Number {
		return 0, fmt.Errorf("count must be a whole number, got %s", v.Type().FriendlyName())
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return 0, fmt.Errorf("count must be a whole number, got %s", bf.Text('f', -1))
	}
	i, _ := bf.Int64()
	if i > math.MaxInt32 {
		i = math.MaxInt32 // more than any budget admits
	}
	return int(i), nil
}

// eachInstances turns a for_each collection into instances; bind builds the
// scope of each. Unknown collections give one representative instance.
func (e *evaluator) eachInstances(v cty.Value, at hcl.Range, what string, bind func(k, v cty.Value) *scope) []instance {
	// Iterate over the unmarked collection; the collection's marks (origins,
	// sensitivity) carry over to each element value.
	v, marks := v.Unmark()
	if rep, secret := e.sensitiveForEach(marks, what, at, bind); secret {
		return []instance{rep}
	}
	unknownInst := []instance{{key: cty.UnknownVal(cty.String), unknown: true,
		scope: bind(cty.UnknownVal(cty.String), cty.DynamicVal.WithMarks(marks))}}
	if !v.IsKnown() {
		return unknownInst
	}
	if v.IsNull() {
		e.diag(graph.SeverityError, "invalid for_each argument", what+" must not be null", at)
		return nil
	}
	ty := v.Type()
	if !ty.IsMapType() && !ty.IsObjectType() && !ty.IsSetType() && !ty.IsListType() && !ty.IsTupleType() {
		e.diag(graph.SeverityError, "invalid for_each argument",
			fmt.Sprintf("%s must be a map or a set of strings, got %s", what, ty.FriendlyName()), at)
		return nil
	}
	if !v.IsWhollyKnown() && ty.IsSetType() {
		// A set with unknown elements has an unknown number of elements; a
		// list knows its length even when elements are unknown.
		return unknownInst
	}
	var insts []instance
	for it := v.ElementIterator(); it.Next(); {
		k, val := it.Element()
		if ty.IsSetType() {
			k = val // a set's key is the element; a list's is its index
		}
		k, _ = k.UnmarkDeep()
		val = val.WithMarks(marks)
		if !k.IsKnown() {
			return unknownInst
		}
		if k.IsNull() || k.Type() != cty.String {
			// Terraform requires string keys for resources; dynamic blocks
			// accept any collection and use the index as the key.
			if what == "for_each" && !ty.IsListType() && !ty.IsTupleType() {
				e.diag(graph.SeverityError, "invalid for_each argument", "for_each set elements must be strings", at)
				return nil
			}
		}
		insts = append(insts, instance{key: k, scope: bind(k, val), from: val})
	}
	return insts
}

func (e *evaluator) expandForEach(expr hcl.Expression) []instance {
	v := e.eval(expr, nil)
	rep := instance{key: cty.UnknownVal(cty.String), unknown: true,
		scope: &scope{each: cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal})}}
	if u, marks := v.Unmark(); !marks.Has(sensitiveMark{}) && u.IsKnown() && !u.IsNull() && u.CanIterateElements() && u.LengthInt() > e.st.budget.room() {
		// Past the budget: not even the instances are built.
		return e.admitted(make([]instance, u.LengthInt()), expr.Range(), rep)
	}
	insts := e.eachInstances(v, expr.Range(), "for_each", func(k, val cty.Value) *scope {
		return &scope{each: cty.ObjectVal(map[string]cty.Value{"key": k, "value": val})}
	})
	if v.IsKnown() && !v.IsNull() {
		if ty := v.Type(); ty.IsListType() || ty.IsTupleType() {
			e.diag(graph.SeverityError, "invalid for_each argument",
				"for_each must be a map or a set of strings; use toset() to convert a list", expr.Range())
			return nil
		}
	}
	sort.SliceStable(insts, func(i, j int) bool {
		a, b := insts[i].key, insts[j].key
		if a.IsKnown() && b.IsKnown() && a.Type() == cty.String && b.Type() == cty.String {
			return a.AsString() < b.AsString()
		}
		return false
	})
	return e.admitted(insts, expr.Range(), rep)
}

// admitted bounds an expansion at r by the instance budget: past it the
// expansion is one representative instance rep (with an unknown key), and
// once no instance is left, a dropped one.
func (e *evaluator) admitted(insts []instance, r hcl.Range, rep instance) []instance {
	switch k := e.st.budget.admit(len(insts), r); {
	case k == len(insts):
		return insts
	case k == 0:
		rep.dropped = true
	}
	return []instance{rep}
}

package terraform

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// Collection functions whose Terraform semantics go-cty's stdlib does not
// provide, written from Terraform's documentation.

// removedFunc is a function that Terraform no longer has (list and map,
// removed in v0.15): every call is an error naming the replacement.
func removedFunc(name, instead string) function.Function {
	return function.New(&function.Spec{
		Description: fmt.Sprintf("The %s function was removed from Terraform.", name),
		VarParam:    &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowMarked: true, AllowDynamicType: true},
		Type: func([]cty.Value) (cty.Type, error) {
			return cty.NilType, fmt.Errorf("the %q function was deprecated in Terraform v0.12 and removed in v0.15; use %s instead", name, instead)
		},
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.NilVal, fmt.Errorf("the %q function is no longer available", name)
		},
	})
}

// allTrueFunc is alltrue(list): true when every element is true (or the
// list is empty). A known false element decides the result even when other
// elements are unknown; a null element counts as false.
var allTrueFunc = function.New(&function.Spec{
	Description: "Returns true if all elements of the given list are true.",
	Params:      []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
	Type:        function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		result := cty.True
		for it := args[0].ElementIterator(); it.Next(); {
			_, v := it.Element()
			switch {
			case !v.IsKnown():
				result = cty.UnknownVal(cty.Bool)
			case v.IsNull() || v.False():
				return cty.False, nil
			}
		}
		return result, nil
	},
})

// anyTrueFunc is anytrue(list): true when at least one element is true;
// false for an empty list. A known true element decides the result even
// when other elements are unknown.
var anyTrueFunc = function.New(&function.Spec{
	Description: "Returns true if any element of the given list is true.",
	Params:      []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
	Type:        function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		result := cty.False
		for it := args[0].ElementIterator(); it.Next(); {
			_, v := it.Element()
			switch {
			case !v.IsKnown():
				result = cty.UnknownVal(cty.Bool)
			case !v.IsNull() && v.True():
				return cty.True, nil
			}
		}
		return result, nil
	},
})

// lookupFunc is lookup(map, key, default): the element of map (a map or an
// object) at key, or default when there is none. default may be null (real
// modules call lookup(m, k, null)) or unknown; omitting it is deprecated
// but accepted, and then a missing key is an error. Only the marks of the
// map itself and of the key are added to the result, not those of other
// elements.
var lookupFunc = function.New(&function.Spec{
	Description: "Returns the element of the given map at the given key, or the default value if there is none.",
	Params: []function.Parameter{
		{Name: "inputMap", Type: cty.DynamicPseudoType, AllowMarked: true},
		{Name: "key", Type: cty.String, AllowMarked: true},
	},
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowMarked: true, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) > 3 {
			return cty.NilType, function.NewArgErrorf(3, "lookup() takes at most three arguments")
		}
		ty := args[0].Type()
		switch {
		case ty.IsObjectType():
			key, _ := args[1].Unmark()
			if !key.IsKnown() {
				return cty.DynamicPseudoType, nil
			}
			if name := key.AsString(); ty.HasAttribute(name) {
				return ty.AttributeType(name), nil
			} else if len(args) == 3 {
				return args[2].Type(), nil
			}
			return cty.DynamicPseudoType, function.NewArgErrorf(1, "the given object has no attribute %q", key.AsString())
		case ty.IsMapType():
			if len(args) == 3 {
				def, _ := args[2].Unmark()
				if !def.IsNull() {
					if _, err := convert.Convert(def, ty.ElementType()); err != nil {
						return cty.NilType, function.NewArgErrorf(2, "the default value must have the same type as the map elements")
					}
				}
			}
			return ty.ElementType(), nil
		default:
			return cty.NilType, function.NewArgErrorf(0, "lookup() requires a map as the first argument")
		}
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		m, mapMarks := args[0].Unmark()
		key, keyMarks := args[1].Unmark()
		if !m.IsKnown() || !key.IsKnown() {
			return cty.UnknownVal(retType).WithMarks(mapMarks, keyMarks), nil
		}
		name := key.AsString()
		switch {
		case m.Type().IsObjectType():
			if m.Type().HasAttribute(name) {
				return m.GetAttr(name).WithMarks(mapMarks, keyMarks), nil
			}
		case !m.IsNull() && m.HasIndex(key).True():
			return m.Index(key).WithMarks(mapMarks, keyMarks), nil
		}
		if len(args) < 3 {
			return cty.NilVal, function.NewArgErrorf(1, "the given map has no key %q", name)
		}
		def, defMarks := args[2].Unmark()
		def, err := convert.Convert(def, retType)
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(2, "the default value must have the same type as the map elements")
		}
		return def.WithMarks(defMarks, mapMarks, keyMarks), nil
	},
})

// matchKeysFunc is matchkeys(valueslist, keyslist, searchset): the elements
// of valueslist whose counterpart in keyslist is in searchset, in order.
var matchKeysFunc = function.New(&function.Spec{
	Description: "Returns the elements of the first list whose counterparts in the second list are in the search set.",
	Params: []function.Parameter{
		{Name: "values", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "keys", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "searchset", Type: cty.List(cty.DynamicPseudoType)},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		kt, st := args[1].Type().ElementType(), args[2].Type().ElementType()
		if kt != cty.DynamicPseudoType && st != cty.DynamicPseudoType {
			if ty, _ := convert.UnifyUnsafe([]cty.Type{kt, st}); ty == cty.NilType {
				return cty.NilType, errors.New("keys and searchset must be of the same type")
			}
		}
		return args[0].Type(), nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		values, keys, search := args[0], args[1], args[2]
		if values.LengthInt() != keys.LengthInt() {
			return cty.NilVal, errors.New("length of keys and values should be equal")
		}
		if !keys.IsWhollyKnown() || !search.IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		unified, _ := convert.UnifyUnsafe([]cty.Type{keys.Type().ElementType(), search.Type().ElementType()})
		var wanted []cty.Value
		for it := search.ElementIterator(); it.Next(); {
			_, s := it.Element()
			if cs, err := convert.Convert(s, unified); err == nil {
				wanted = append(wanted, cs)
			}
		}
		var out []cty.Value
		for i, k := range keys.AsValueSlice() {
			ck, err := convert.Convert(k, unified)
			if err != nil {
				continue
			}
			for _, s := range wanted {
				if eq := ck.Equals(s); eq.IsKnown() && eq.True() {
					out = append(out, values.Index(cty.NumberIntVal(int64(i))))
					break
				}
			}
		}
		if len(out) == 0 {
			return cty.ListValEmpty(retType.ElementType()), nil
		}
		return cty.ListVal(out), nil
	},
})

// oneFunc is one(collection): null for an empty list, set or tuple, its
// element for one element, an error for more.
var oneFunc = function.New(&function.Spec{
	Description: "Returns the only element of a collection of zero or one elements, or null if it is empty.",
	Params:      []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			switch elems := ty.TupleElementTypes(); len(elems) {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return elems[0], nil
			}
		}
		return cty.NilType, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		v := args[0]
		if v.IsNull() {
			return cty.NilVal, function.NewArgErrorf(0, "must not be null")
		}
		if n := v.Length(); !n.IsKnown() {
			return cty.UnknownVal(retType), nil
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(retType), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		}
		return cty.NilVal, function.NewArgErrorf(0, "must be a list, set, or tuple value with either zero or one elements")
	},
})

// sumFunc is sum(list): the sum of a non-empty list, set or tuple of
// numbers (elements that convert to numbers are accepted).
var sumFunc = function.New(&function.Spec{
	Description: "Returns the sum of the given list or set of numbers.",
	Params:      []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		var elems []cty.Type
		switch {
		case ty.IsListType() || ty.IsSetType():
			elems = []cty.Type{ty.ElementType()}
		case ty.IsTupleType():
			elems = ty.TupleElementTypes()
		default:
			return cty.NilType, function.NewArgErrorf(0, "argument must be list, set, or tuple of number values")
		}
		for _, et := range elems {
			if et != cty.Number && et != cty.DynamicPseudoType && convert.GetConversionUnsafe(et, cty.Number) == nil {
				return cty.NilType, function.NewArgErrorf(0, "argument must be list, set, or tuple of number values")
			}
		}
		return cty.Number, nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (ret cty.Value, err error) {
		list := args[0]
		if list.IsNull() {
			return cty.NilVal, function.NewArgErrorf(0, "argument must not be null")
		}
		if list.LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum an empty list")
		}
		total := new(big.Float).SetPrec(512)
		unknown := false
		defer func() {
			// big.Float panics on +Inf + -Inf.
			if r := recover(); r != nil {
				ret, err = cty.NilVal, function.NewArgErrorf(0, "cannot sum opposing infinities")
			}
		}()
		for it := list.ElementIterator(); it.Next(); {
			_, v := it.Element()
			if !v.IsKnown() {
				unknown = true
				continue
			}
			if v.IsNull() {
				return cty.NilVal, function.NewArgErrorf(0, "argument must be list, set, or tuple of number values, without nulls")
			}
			n, err := convert.Convert(v, cty.Number)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(0, "argument must be list, set, or tuple of number values: %s", err)
			}
			if !n.IsKnown() {
				unknown = true
				continue
			}
			total.Add(total, n.AsBigFloat())
		}
		if unknown {
			return cty.UnknownVal(cty.Number), nil
		}
		return cty.NumberVal(total), nil
	},
})

// transposeFunc is transpose(map of lists of strings): swaps keys and
// values, so each value becomes a key whose list holds the keys it was
// listed under (in key order).
var transposeFunc = function.New(&function.Spec{
	Description: "Swaps the keys and values of a map of lists of strings.",
	Params:      []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:        function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		in := args[0]
		if !in.IsWhollyKnown() {
			return cty.UnknownVal(retType), nil
		}
		out := map[string][]cty.Value{}
		for it := in.ElementIterator(); it.Next(); {
			k, list := it.Element()
			if list.IsNull() {
				return cty.NilVal, errors.New("input must not contain null lists")
			}
			for lit := list.ElementIterator(); lit.Next(); {
				_, v := lit.Element()
				if v.IsNull() {
					return cty.NilVal, errors.New("input lists must not contain null values")
				}
				out[v.AsString()] = append(out[v.AsString()], k)
			}
		}
		if len(out) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		vals := make(map[string]cty.Value, len(out))
		for k, list := range out {
			vals[k] = cty.ListVal(list)
		}
		return cty.MapVal(vals), nil
	},
})

// indexFunc is Terraform's index(list, value): the index of the first
// element of a list or tuple equal to value; an error when there is none.
// An unknown element before the match makes the result unknown.
var indexFunc = function.New(&function.Spec{
	Description: "Returns the index of the first element of the list equal to the given value.",
	Params: []function.Parameter{
		{Name: "list", Type: cty.DynamicPseudoType},
		{Name: "value", Type: cty.DynamicPseudoType},
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if ty := args[0].Type(); !ty.IsListType() && !ty.IsTupleType() {
			return cty.NilType, function.NewArgErrorf(0, "argument must be a list or tuple")
		}
		return cty.Number, nil
	},
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
		return b.NotNull().NumberRangeLowerBound(cty.Zero, true)
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list, value := args[0], args[1]
		if list.LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot search an empty list")
		}
		for it := list.ElementIterator(); it.Next(); {
			i, v := it.Element()
			want := value
			if !v.Type().Equals(value.Type()) {
				if c, err := convert.Convert(value, v.Type()); err == nil {
					want = c
				}
			}
			eq := v.Equals(want)
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, errors.New("item not found")
	},
})

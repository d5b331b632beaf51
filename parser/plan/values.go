package plan

// knownValues normalises a plan "after" (or prior state "values") object the
// way the HCL loader shapes its values: null object attributes are dropped,
// recursively; array elements are all kept, nulls included, so that an
// index means the same element in values, unknown, sensitive and ranges
// (an unknown element is null in "after" and true in "after_unknown").
// Numbers stay json.Number (the plan is decoded with UseNumber). The tree
// is changed in place: it is decoded for this alone, and a copy would
// double the memory a large plan takes.
func knownValues(v any) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		return map[string]any{}
	}
	known(m)
	return m
}

func known(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
				continue
			}
			known(e)
		}
	case []any:
		for _, e := range x {
			known(e)
		}
	}
}

// flags normalises an "after_unknown" or "after_sensitive" tree to the
// shape the HCL loader produces: only true leaves and the containers that
// lead to them are kept; false entries of objects are dropped, arrays keep
// every position (false where nothing below is true) and disappear when
// nothing in them is true.
func flags(v any) map[string]any {
	m, ok := flagTree(v).(map[string]any)
	if !ok {
		return map[string]any{}
	}
	return m
}

func flagTree(v any) any {
	switch x := v.(type) {
	case bool:
		if x {
			return true
		}
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if f := flagTree(e); f != nil {
				out[k] = f
			}
		}
		if len(out) > 0 {
			return out
		}
	case []any:
		out := make([]any, len(x))
		found := false
		for i, e := range x {
			f := flagTree(e)
			if f == nil {
				f = false
			} else {
				found = true
			}
			out[i] = f
		}
		if found {
			return out
		}
	}
	return nil
}

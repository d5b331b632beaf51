package policies

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestPlainResultIsTheJSONDecoding checks that the direct reading of a
// deny element gives what the strict JSON decoding gives, and declines
// every element that decoding would read otherwise or reject.
func TestPlainResultIsTheJSONDecoding(t *testing.T) {
	for _, it := range []any{
		map[string]any{"resource": "a.b", "attribute": "x.0", "message": "m", "severity": "high"},
		map[string]any{"resource": "a.b", "message": "m"},
		map[string]any{},
		map[string]any{"resource": "a.b", "message": "m <&> \u2028 é"},
		map[string]any{"Resource": "a.b", "message": "m"},         // decoded case-insensitively
		map[string]any{"resource": "a.b", "message": "\xff"},      // replaced by U+FFFD
		map[string]any{"resource": "a.b", "message": 3},           // wrong type
		map[string]any{"resource": "a.b", "message": "m", "x": 1}, // unknown field
		map[string]any{"resource": nil, "message": "m"},
		[]any{"a"},
		"a",
	} {
		b, _ := json.Marshal(it)
		var want result
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		err := dec.Decode(&want)
		got, ok := plainResult(it)
		if !ok {
			continue
		}
		if err != nil || got != want {
			t.Errorf("%#v: read %+v, the JSON decoding gives %+v (%v)", it, got, want, err)
		}
	}
	for _, it := range []any{
		map[string]any{"Resource": "a.b"},
		map[string]any{"message": "\xff"},
		map[string]any{"message": 3},
		map[string]any{"x": "y"},
	} {
		if _, ok := plainResult(it); ok {
			t.Errorf("%#v was read directly", it)
		}
	}
	if _, ok := plainResult(map[string]any{"resource": "a", "attribute": "b", "message": "c", "severity": "low"}); !ok {
		t.Error("a plain result was not read directly")
	}
}

// TestCallCache checks the function-result cache against OPA's semantics:
// undefined results, frames, and a key slice OPA reuses after Put.
func TestCallCache(t *testing.T) {
	f := ast.MustParseRef("data.lib.f")
	call := func(args ...*ast.Term) ast.Ref { return append(ast.Ref{ast.NewTerm(f)}, args...) }
	res := ast.MustParseTerm(`{"a": [1, 2], "b": "x"}`)
	same := ast.MustParseTerm(`{"b": "x", "a": [1, 2]}`)
	c := newCallCache()
	key := call(res, ast.StringTerm("ingress"))
	if v, undefined := c.Get(key); v != nil || undefined {
		t.Fatal("an empty cache has a result")
	}
	c.Put(key, ast.BooleanTerm(true))
	key[2] = ast.StringTerm("egress") // OPA reuses the slice
	if v, undefined := c.Get(key); v != nil || undefined {
		t.Error("a call never made has a result")
	}
	if v, _ := c.Get(call(same, ast.StringTerm("ingress"))); v == nil || !v.Equal(ast.BooleanTerm(true)) {
		t.Errorf("the result of an equal call is %v", v)
	}
	if v, _ := c.Get(call(ast.StringTerm("ingress"), same)); v != nil {
		t.Error("the arguments' order is not counted")
	}
	c.Put(call(res), nil)
	if v, undefined := c.Get(call(res)); v != nil || !undefined {
		t.Error("an undefined call is not recorded as undefined")
	}
	c.Put(call(res), ast.IntNumberTerm(1))
	if _, undefined := c.Get(call(res)); !undefined {
		t.Error("an undefined call became defined (OPA's cache keeps it undefined)")
	}
	c.Push()
	if v, _ := c.Get(call(same, ast.StringTerm("ingress"))); v != nil {
		t.Error("a new frame sees the results of the one below")
	}
	c.Put(call(ast.StringTerm("x")), ast.IntNumberTerm(2))
	if len(c.Keys()) != 1 {
		t.Errorf("the frame has %d keys, want 1", len(c.Keys()))
	}
	c.Pop()
	if v, _ := c.Get(call(ast.StringTerm("x"))); v != nil {
		t.Error("a popped frame's result is still there")
	}
	if v, _ := c.Get(call(res, ast.StringTerm("ingress"))); v == nil {
		t.Error("the first frame lost its result")
	}
	c.Pop() // the first frame stays
	if len(c.Keys()) != 2 {
		t.Errorf("the first frame has %d keys, want 2", len(c.Keys()))
	}
}

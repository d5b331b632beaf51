package terraform

import (
	"encoding/json"
	"math"
	"math/big"
	"reflect"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// numberText must give exactly what big.Float.Text('f', -1) gives: it is
// the text of a literal's value, of the values an origin shows and of an
// instance's index, which outputs carry byte for byte.
func TestNumberText(t *testing.T) {
	negZero := new(big.Float).Neg(new(big.Float))
	huge, _ := new(big.Float).SetString("123456789012345678901234567890")
	cases := []*big.Float{
		new(big.Float), negZero, big.NewFloat(1), big.NewFloat(-1), big.NewFloat(22),
		big.NewFloat(0.5), big.NewFloat(-2.25), big.NewFloat(1e15), big.NewFloat(1e300),
		new(big.Float).SetInt64(math.MaxInt64), new(big.Float).SetInt64(math.MinInt64),
		new(big.Float).Add(new(big.Float).SetInt64(math.MaxInt64), big.NewFloat(1)),
		huge, big.NewFloat(math.Inf(1)), big.NewFloat(math.Inf(-1)),
	}
	for _, bf := range cases {
		if got, want := numberText(bf), bf.Text('f', -1); got != want {
			t.Errorf("numberText(%s) = %q, want %q", bf.Text('g', 20), got, want)
		}
	}
}

// toTree walks a marked value once: the known, unknown and sensitive
// trees are those of plan JSON, a sensitive part is true in the
// sensitive tree and not looked into, and a provenance mark changes
// nothing.
func TestToTreeMarked(t *testing.T) {
	secret := func(v cty.Value) cty.Value { return v.Mark(sensitiveMark{}) }
	lit := func(v cty.Value) cty.Value { return v.Mark(&literalMark{text: "x"}) }
	v := lit(cty.ObjectVal(map[string]cty.Value{
		"name":  lit(cty.StringVal("a")),
		"port":  cty.NumberIntVal(22),
		"pw":    secret(cty.StringVal("p")),
		"gone":  cty.NullVal(cty.String),
		"later": secret(cty.UnknownVal(cty.String)),
		"list":  cty.TupleVal([]cty.Value{lit(cty.StringVal("x")), secret(cty.StringVal("y")), cty.UnknownVal(cty.Number)}),
		"plain": cty.ListVal([]cty.Value{cty.True}),
		"nested": secret(cty.ObjectVal(map[string]cty.Value{
			"inner": secret(cty.StringVal("z")),
		})),
		"obj": cty.ObjectVal(map[string]cty.Value{
			"k": secret(cty.NumberFloatVal(0.5)),
			"u": cty.UnknownVal(cty.Bool),
		}),
	}))
	values, unknown, sensitive := toTree(v)
	wantValues := map[string]any{
		"name": "a", "port": json.Number("22"), "pw": "p",
		"list": []any{"x", "y", nil}, "plain": []any{true},
		"nested": map[string]any{"inner": "z"},
		"obj":    map[string]any{"k": json.Number("0.5")},
	}
	wantUnknown := map[string]any{
		"later": true, "list": []any{false, false, true},
		"obj": map[string]any{"u": true},
	}
	wantSensitive := map[string]any{
		"pw": true, "later": true, "list": []any{false, true, false},
		"nested": true, "obj": map[string]any{"k": true},
	}
	if !reflect.DeepEqual(values, wantValues) {
		t.Errorf("values = %#v, want %#v", values, wantValues)
	}
	if !reflect.DeepEqual(unknown, wantUnknown) {
		t.Errorf("unknown = %#v, want %#v", unknown, wantUnknown)
	}
	if !reflect.DeepEqual(sensitive, wantSensitive) {
		t.Errorf("sensitive = %#v, want %#v", sensitive, wantSensitive)
	}
	for _, whole := range []cty.Value{secret(cty.ObjectVal(map[string]cty.Value{"a": secret(cty.True)})), secret(cty.UnknownVal(cty.EmptyObject)), cty.StringVal("s")} {
		if _, _, s := toTree(whole); len(s) != 0 {
			t.Errorf("toTree(%#v): sensitive = %#v, want empty", whole, s)
		}
	}
}

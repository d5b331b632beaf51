package terraform

import (
	"fmt"
	"reflect"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// jsonPackage is the package of hcl's JSON syntax expressions.
const jsonPackage = "github.com/hashicorp/hcl/v2/json"

// isJSONExpression reports whether expr was written in JSON syntax.
func isJSONExpression(expr hcl.Expression) bool {
	t := reflect.TypeOf(expr)
	return t != nil && t.Kind() == reflect.Pointer && t.Elem().PkgPath() == jsonPackage
}

// jsonValue evaluates an expression written in JSON syntax with the
// semantics of hcl's JSON syntax (arrays are tuples, objects are objects
// whose keys are templates, strings are templates), but parses each
// template itself, so that it is checked before it is parsed and metered
// like native syntax: hcl would parse and evaluate it out of reach of the
// budget.
func (e *evaluator) jsonValue(expr hcl.Expression, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if items, d := hcl.ExprList(expr); !d.HasErrors() {
		var diags hcl.Diagnostics
		vals := make([]cty.Value, len(items))
		for i, it := range items {
			v, d := e.jsonValue(it, ctx)
			diags = append(diags, d...)
			vals[i] = v
		}
		return cty.TupleVal(vals), diags
	}
	if pairs, d := hcl.ExprMap(expr); !d.HasErrors() {
		return e.jsonObjectValue(pairs, ctx)
	}
	v, diags := expr.Value(nil) // without a context: the literal
	if diags.HasErrors() || v.IsNull() || v.Type() != cty.String {
		return v, diags
	}
	src := []byte(v.AsString())
	r := expr.Range()
	if p := checkSource(src, scanTemplate); p != nil {
		return cty.DynamicVal, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: p.summary, Detail: p.detail, Subject: r.Ptr()}}
	}
	// As hcl does: the template starts after the opening quote (escapes
	// the JSON decoder removed shift later columns).
	start := hcl.Pos{Line: r.Start.Line, Column: r.Start.Column + 1, Byte: r.Start.Byte + 1}
	tmpl, diags := hclsyntax.ParseTemplate(src, r.Filename, start)
	if diags.HasErrors() {
		return cty.DynamicVal, diags
	}
	meter(tmpl)
	val, more := tmpl.Value(ctx)
	return val, append(diags, more...)
}

func (e *evaluator) jsonObjectValue(pairs []hcl.KeyValuePair, ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	attrs := map[string]cty.Value{}
	at := map[string]hcl.Range{}
	var keyMarks []cty.ValueMarks
	known := true
	for _, kv := range pairs {
		k, kd := e.jsonValue(kv.Key, ctx)
		v, vd := e.jsonValue(kv.Value, ctx)
		diags = append(append(diags, kd...), vd...)
		if kd.HasErrors() {
			continue
		}
		k, err := convert.Convert(k, cty.String)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid object key",
				Detail: fmt.Sprintf("This key cannot be used as an object key: %s.", err), Subject: kv.Key.Range().Ptr()})
			continue
		}
		k, marks := k.Unmark()
		if k.IsNull() {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid object key",
				Detail: "An object key must not be null.", Subject: kv.Key.Range().Ptr()})
			continue
		}
		if !k.IsKnown() {
			known = false // the object's type is unknown; later keys are still checked
			continue
		}
		keyMarks = append(keyMarks, marks)
		name := k.AsString()
		if prev, dup := at[name]; dup {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate object attribute",
				Detail: fmt.Sprintf("The key %q is already set at %s.", name, prev), Subject: kv.Key.Range().Ptr()})
			continue
		}
		attrs[name] = v
		at[name] = kv.Key.Range()
	}
	if !known {
		return cty.DynamicVal, diags
	}
	return cty.ObjectVal(attrs).WithMarks(keyMarks...), diags
}

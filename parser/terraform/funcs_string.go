package terraform

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// String functions whose Terraform semantics go-cty's stdlib does not
// provide, written from Terraform's documentation.

// replaceFunc is Terraform's replace(string, substring, replacement): a
// substring wrapped in forward slashes ("/-+/") is a regular expression
// (RE2, replacement may use $1 and ${name}); otherwise every literal
// occurrence is replaced.
var replaceFunc = function.New(&function.Spec{
	Description: "Replaces each occurrence of substring (a regular expression when wrapped in slashes) in string with replacement.",
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "substr", Type: cty.String},
		{Name: "replace", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
		return b.NotNull()
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, substr, repl := args[0], args[1], args[2]
		if s := substr.AsString(); len(s) > 1 && strings.HasPrefix(s, "/") && strings.HasSuffix(s, "/") {
			return stdlib.RegexReplace(str, cty.StringVal(s[1:len(s)-1]), repl)
		}
		return stdlib.Replace(str, substr, repl)
	},
})

// indentFunc is indent(spaces, string): stdlib's, except that a negative
// number of spaces is an error rather than a panic.
var indentFunc = function.New(&function.Spec{
	Description: "Adds the given number of spaces after each newline of the given string.",
	Params: []function.Parameter{
		{Name: "spaces", Type: cty.Number},
		{Name: "str", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if args[0].LessThan(cty.Zero).True() {
			return cty.NilVal, function.NewArgErrorf(0, "the number of spaces must not be negative")
		}
		return stdlib.Indent(args[0], args[1])
	},
})

// stringTestFunc is a two-string predicate such as startswith.
func stringTestFunc(desc, second string, test func(s, t string) bool) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params: []function.Parameter{
			{Name: "string", Type: cty.String},
			{Name: second, Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Bool),
		RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
			return b.NotNull()
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(test(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

var (
	startsWithFunc  = stringTestFunc("Reports whether the string starts with the prefix.", "prefix", strings.HasPrefix)
	endsWithFunc    = stringTestFunc("Reports whether the string ends with the suffix.", "suffix", strings.HasSuffix)
	strContainsFunc = stringTestFunc("Reports whether the string contains the substring.", "substr", strings.Contains)
)

// templateStringFunc is templatestring(template, vars): the string
// template rendered with vars and the functions funcs. Terraform also
// requires the first argument to be a single reference (not a literal);
// a function cannot see that, so any string is accepted here.
func templateStringFunc(funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Description: "Renders the given string as a template with the given variables.",
		Params: []function.Parameter{
			{Name: "template", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return renderTemplate(args[0].AsString(), "<templatestring argument>", args[1], funcs)
		},
	})
}

// nestedTemplateFunc stands for templatefile and templatestring inside a
// template: Terraform forbids a template rendering another one.
func nestedTemplateFunc(name string, arity int) function.Function {
	params := make([]function.Parameter, arity)
	for i := range params {
		params[i] = function.Parameter{Name: fmt.Sprintf("arg%d", i), Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowMarked: true, AllowDynamicType: true}
	}
	return function.New(&function.Spec{
		Params: params,
		Type: func([]cty.Value) (cty.Type, error) {
			return cty.NilType, fmt.Errorf("cannot call %s from inside a template rendered by templatefile or templatestring", name)
		},
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.NilVal, fmt.Errorf("cannot call %s from inside a template", name)
		},
	})
}

// renderTemplate parses src as an HCL template and evaluates it with the
// variables of vars (a known map or object whose keys are identifiers) and
// the functions funcs. Calls to provider-defined functions in the template
// have unknown results. Unknown variables give unknown results.
func renderTemplate(src, filename string, vars cty.Value, funcs map[string]function.Function) (cty.Value, error) {
	ty := vars.Type()
	if !ty.IsMapType() && !ty.IsObjectType() {
		return cty.NilVal, function.NewArgErrorf(1, "invalid vars value: must be a map or an object")
	}
	if vars.IsNull() {
		return cty.NilVal, function.NewArgErrorf(1, "invalid vars value: must not be null")
	}
	variables := map[string]cty.Value{}
	for it := vars.ElementIterator(); it.Next(); {
		k, v := it.Element()
		name := k.AsString()
		if !hclsyntax.ValidIdentifier(name) {
			return cty.NilVal, function.NewArgErrorf(1, "invalid template variable name %q: must start with a letter, followed by zero or more letters, digits, and underscores", name)
		}
		variables[name] = v
	}

	if err := guardTemplate([]byte(src), funcs); err != nil {
		return cty.NilVal, err
	}
	expr, diags := hclsyntax.ParseTemplate([]byte(src), filename, hcl.InitialPos)
	if diags.HasErrors() {
		return cty.NilVal, errors.New(diags.Error())
	}
	meter(expr)
	ctx := &hcl.EvalContext{Variables: variables, Functions: withProviderFunctions(expr, funcs)}
	val, diags := expr.Value(ctx)
	if diags.HasErrors() {
		for _, d := range diags {
			if refusedByBudget(d) {
				return cty.NilVal, errBudget // the budget reported it
			}
		}
		return cty.NilVal, errors.New(diags.Error())
	}
	return val, nil
}

// withProviderFunctions returns funcs, extended with providerFunction for
// every provider-defined function called in expr.
func withProviderFunctions(expr hclsyntax.Expression, funcs map[string]function.Function) map[string]function.Function {
	var names []string
	_ = hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
		if call, ok := n.(*hclsyntax.FunctionCallExpr); ok && isProviderFunction(call.Name) {
			if _, known := funcs[call.Name]; !known {
				names = append(names, call.Name)
			}
		}
		return nil
	})
	if len(names) == 0 {
		return funcs
	}
	out := make(map[string]function.Function, len(funcs)+len(names))
	for k, f := range funcs {
		out[k] = f
	}
	for _, n := range names {
		out[n] = providerFunction()
	}
	return out
}

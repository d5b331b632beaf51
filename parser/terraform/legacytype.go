package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// legacyTypes are the quoted type constraints of Terraform 0.11 and
// earlier, and what Terraform 0.12 and later write instead: a list or a
// map of that time held strings.
var legacyTypes = map[string]string{"string": "string", "list": "list(string)", "map": "map(string)"}

// variableType decodes the type constraint of a variable block. A quoted
// type in the native syntax (type = "string", the form of Terraform 0.11
// and earlier, which Terraform 0.15 and later reject) is an error that
// says how to write it, at the quoted string; the variable then takes any
// type, as in Terraform. In the JSON syntax a type is always a string,
// and is read as the type it holds.
func variableType(expr hcl.Expression) (cty.Type, *typeexpr.Defaults, hcl.Diagnostics) {
	if t, ok := expr.(*hclsyntax.TemplateExpr); ok && t.IsStringLiteral() {
		v, _ := t.Value(nil)
		quoted := v.AsString()
		const why = "quoted types are the form of Terraform 0.11 and earlier, which Terraform 0.15 and later reject"
		var detail string
		switch fix, legacy := legacyTypes[quoted]; {
		case legacy && fix != quoted:
			detail = fmt.Sprintf("remove the quotes and name the element type: type = %s (%s)", fix, why)
		case legacy || isTypeText(quoted):
			detail = fmt.Sprintf("remove the quotes: type = %s (%s)", quoted, why)
		default:
			detail = "a type is written without quotes, as type = string or type = list(string) (" + why + ")"
		}
		summary := "quoted type constraint"
		if len(quoted) <= 40 {
			summary += fmt.Sprintf(" %q", quoted)
		}
		return cty.DynamicPseudoType, nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  summary,
			Detail:   detail,
			Subject:  expr.Range().Ptr(),
		}}
	}
	return typeexpr.TypeConstraintWithDefaults(expr)
}

// isTypeText reports whether text is a type constraint in the native
// syntax ("bool", "list(string)").
func isTypeText(text string) bool {
	e, diags := hclsyntax.ParseExpression([]byte(text), "", hcl.InitialPos)
	if diags.HasErrors() {
		return false
	}
	_, diags = typeexpr.TypeConstraint(e)
	return !diags.HasErrors()
}

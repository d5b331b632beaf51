package terraform

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Sensitivity and type functions, written from Terraform's documentation.
// A sensitive value carries the mark sensitiveMark{} at its top level.

// anyValueParam accepts every value: unknown, null, marked, of any type.
var anyValueParam = function.Parameter{
	Name:             "value",
	Type:             cty.DynamicPseudoType,
	AllowUnknown:     true,
	AllowNull:        true,
	AllowMarked:      true,
	AllowDynamicType: true,
}

// sameType is the Type of a function whose result has its argument's type.
func sameType(args []cty.Value) (cty.Type, error) {
	return args[0].Type(), nil
}

// sensitiveFunc is sensitive(value): value marked sensitive.
var sensitiveFunc = function.New(&function.Spec{
	Description: "Returns the given value marked as sensitive.",
	Params:      []function.Parameter{anyValueParam},
	Type:        sameType,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return args[0].Mark(sensitiveMark{}), nil
	},
})

// nonsensitiveFunc is nonsensitive(value). Portcullis never removes a
// sensitive mark: the repository decides what nonsensitive() is applied
// to, and a value derived from a secret (a TF_VAR_ or -var value among
// them) must not become printable because a hostile configuration says
// so. It returns its argument unchanged, marks and all; as in Terraform
// since v1.6, a value that is not sensitive is accepted.
var nonsensitiveFunc = function.New(&function.Spec{
	Description: "Returns the given value unchanged: Portcullis never removes a sensitive mark.",
	Params:      []function.Parameter{anyValueParam},
	Type:        sameType,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return args[0], nil
	},
})

// isSensitiveFunc is issensitive(value): whether value is marked
// sensitive. An unknown value that is not (yet) marked gives an unknown
// result, since the value it stands for may turn out to be sensitive.
var isSensitiveFunc = function.New(&function.Spec{
	Description: "Reports whether the given value is marked as sensitive.",
	Params:      []function.Parameter{anyValueParam},
	Type:        function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		switch {
		case v.HasMark(sensitiveMark{}):
			return cty.True, nil
		case !v.IsKnown():
			return cty.UnknownVal(cty.Bool), nil
		}
		return cty.False, nil
	},
})

// ephemeralAsNullFunc is ephemeralasnull(value). The evaluator does not
// track ephemeral values, so it is the identity.
var ephemeralAsNullFunc = function.New(&function.Spec{
	Description: "Returns the given value, with ephemeral parts replaced by null (none are tracked here).",
	Params:      []function.Parameter{anyValueParam},
	Type:        sameType,
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return args[0], nil
	},
})

// typeFunc is type(value), which Terraform offers only in its console: the
// result here is always unknown.
var typeFunc = function.New(&function.Spec{
	Description: "Returns the type of the given value (unknown here: a console-only function).",
	Params:      []function.Parameter{anyValueParam},
	Type:        function.StaticReturnType(cty.DynamicPseudoType),
	Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
		return cty.DynamicVal, nil
	},
})

package terraform

import (
	"math"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// logFunc is log(number, base), written from Terraform's documentation
// because go-cty's LogFunc panics where the result is not a number
// (log(1, 1), log(-1, 10)): here that is an error.
var logFunc = function.New(&function.Spec{
	Description: "Returns the logarithm of the given number in the given base.",
	Params: []function.Parameter{
		{Name: "num", Type: cty.Number},
		{Name: "base", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.Number),
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
		return b.NotNull()
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		num, _ := args[0].AsBigFloat().Float64()
		base, _ := args[1].AsBigFloat().Float64()
		r := math.Log(num) / math.Log(base)
		if math.IsNaN(r) {
			return cty.NilVal, function.NewArgErrorf(0, "the logarithm of %g in base %g is not a number", num, base)
		}
		return cty.NumberFloatVal(r), nil
	},
})

// powFunc is pow(num, power), written from Terraform's documentation
// because go-cty's PowFunc panics where the result is not a number
// (pow(-8, 0.5)): here that is an error.
var powFunc = function.New(&function.Spec{
	Description: "Returns the given number raised to the given power.",
	Params: []function.Parameter{
		{Name: "num", Type: cty.Number},
		{Name: "power", Type: cty.Number},
	},
	Type: function.StaticReturnType(cty.Number),
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
		return b.NotNull()
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		num, _ := args[0].AsBigFloat().Float64()
		power, _ := args[1].AsBigFloat().Float64()
		r := math.Pow(num, power)
		if math.IsNaN(r) {
			return cty.NilVal, function.NewArgErrorf(1, "%g to the power %g is not a number", num, power)
		}
		return cty.NumberFloatVal(r), nil
	},
})

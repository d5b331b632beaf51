package terraform

import (
	"io/fs"
	"strings"

	"github.com/hashicorp/go-cty-funcs/cidr"
	"github.com/hashicorp/go-cty-funcs/collection"
	"github.com/hashicorp/go-cty-funcs/encoding"
	"github.com/hashicorp/go-cty-funcs/uuid"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	yaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions returns Terraform's built-in functions (Terraform 1.9 and
// later) for expressions of the module in directory moduleDir of fsys, each
// also under its "core::" name. fsys is rooted at the scan root; the file
// functions read relative to moduleDir and never outside fsys.
//
// Functions come from go-cty's stdlib, hcl's tryfunc, go-cty-funcs and
// go-cty-yaml where those have Terraform's semantics; the rest are written
// in the funcs_*.go files from Terraform's documentation. Impure or
// unknowable results (timestamp, uuid, bcrypt, ...) are unknown values. A
// call to a function that is missing here is a diagnostic ("Call to unknown
// function") and its result is unknown; provider-defined functions
// ("provider::NS::NAME") are not listed: see providerFunction.
//
// Each adapt hook is applied to the table before templates get their copy
// of it (the evaluation budget meters every function with one).
func functions(fsys fs.FS, moduleDir string, adapt ...func(map[string]function.Function)) map[string]function.Function {
	sb := &sandbox{fsys: fsys, dir: cleanModuleDir(moduleDir)}
	fns := map[string]function.Function{
		// Numeric.
		"abs":      stdlib.AbsoluteFunc,
		"ceil":     stdlib.CeilFunc,
		"floor":    stdlib.FloorFunc,
		"log":      logFunc,
		"max":      stdlib.MaxFunc,
		"min":      stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc,
		"pow":      powFunc,
		"signum":   stdlib.SignumFunc,

		// String.
		"chomp":       stdlib.ChompFunc,
		"endswith":    endsWithFunc,
		"format":      stdlib.FormatFunc,
		"formatlist":  stdlib.FormatListFunc,
		"indent":      indentFunc,
		"join":        stdlib.JoinFunc,
		"lower":       stdlib.LowerFunc,
		"regex":       stdlib.RegexFunc,
		"regexall":    stdlib.RegexAllFunc,
		"replace":     replaceFunc,
		"split":       stdlib.SplitFunc,
		"startswith":  startsWithFunc,
		"strcontains": strContainsFunc,
		"strrev":      stdlib.ReverseFunc,
		"substr":      stdlib.SubstrFunc,
		"title":       stdlib.TitleFunc,
		"trim":        stdlib.TrimFunc,
		"trimprefix":  stdlib.TrimPrefixFunc,
		"trimspace":   stdlib.TrimSpaceFunc,
		"trimsuffix":  stdlib.TrimSuffixFunc,
		"upper":       stdlib.UpperFunc,
		// templatestring is added below, with templatefile.

		// Collection.
		"alltrue":         allTrueFunc,
		"anytrue":         anyTrueFunc,
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        collection.CoalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"index":           indexFunc,
		"keys":            stdlib.KeysFunc,
		"length":          lengthFunc,
		"list":            removedFunc("list", "tolist([...]) or a list literal [...]"),
		"lookup":          lookupFunc,
		"map":             removedFunc("map", "tomap({...}) or an object literal {...}"),
		"matchkeys":       matchKeysFunc,
		"merge":           stdlib.MergeFunc,
		"one":             oneFunc,
		"range":           stdlib.RangeFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      stdlib.SetProductFunc,
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"sum":             sumFunc,
		"transpose":       transposeFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,

		// Encoding.
		"base64decode":     base64DecodeFunc,
		"base64encode":     encoding.Base64EncodeFunc,
		"base64gzip":       base64GzipFunc,
		"csvdecode":        stdlib.CSVDecodeFunc,
		"jsondecode":       stdlib.JSONDecodeFunc,
		"jsonencode":       stdlib.JSONEncodeFunc,
		"textdecodebase64": textDecodeBase64Func,
		"textencodebase64": textEncodeBase64Func,
		"urlencode":        encoding.URLEncodeFunc,
		"yamldecode":       yaml.YAMLDecodeFunc,
		"yamlencode":       yaml.YAMLEncodeFunc,

		// Filesystem, sandboxed to fsys (templatefile is added below).
		"abspath":          sb.absPathFunc(),
		"basename":         baseNameFunc,
		"dirname":          dirNameFunc,
		"file":             sb.fileFunc(),
		"filebase64":       sb.fileBase64Func(),
		"fileexists":       sb.fileExistsFunc(),
		"fileset":          sb.fileSetFunc(nil),
		"pathexpand":       pathExpandFunc,
		"filemd5":          sb.fileHashFunc(md5Sum, hexEncode),
		"filesha1":         sb.fileHashFunc(sha1Sum, hexEncode),
		"filesha256":       sb.fileHashFunc(sha256Sum, hexEncode),
		"filesha512":       sb.fileHashFunc(sha512Sum, hexEncode),
		"filebase64sha256": sb.fileHashFunc(sha256Sum, base64Encode),
		"filebase64sha512": sb.fileHashFunc(sha512Sum, base64Encode),

		// Date and time.
		"formatdate":    stdlib.FormatDateFunc,
		"plantimestamp": unknownFunc(cty.String, nil, nil), // the time of the plan: not known statically
		"timeadd":       stdlib.TimeAddFunc,
		"timecmp":       timeCmpFunc,
		"timestamp":     unknownFunc(cty.String, nil, nil), // impure

		// Hash and crypto.
		"base64sha256": stringHashFunc(sha256Sum, base64Encode),
		"base64sha512": stringHashFunc(sha512Sum, base64Encode),
		"bcrypt": unknownFunc(cty.String,
			[]function.Parameter{{Name: "str", Type: cty.String}},
			&function.Parameter{Name: "cost", Type: cty.Number}), // randomly salted: a new result each run
		"md5": stringHashFunc(md5Sum, hexEncode),
		"rsadecrypt": unknownFunc(cty.String, // a linter never decrypts secrets
			[]function.Parameter{{Name: "ciphertext", Type: cty.String}, {Name: "privatekey", Type: cty.String}}, nil),
		"sha1":   stringHashFunc(sha1Sum, hexEncode),
		"sha256": stringHashFunc(sha256Sum, hexEncode),
		"sha512": stringHashFunc(sha512Sum, hexEncode),
		"uuid":   unknownFunc(cty.String, nil, nil), // impure
		"uuidv5": uuid.V5Func,

		// IP network.
		"cidrhost":    cidr.HostFunc,
		"cidrnetmask": cidr.NetmaskFunc,
		"cidrsubnet":  cidr.SubnetFunc,
		"cidrsubnets": cidr.SubnetsFunc,

		// Type conversion and sensitivity.
		"can":             tryfunc.CanFunc,
		"ephemeralasnull": ephemeralAsNullFunc,
		"issensitive":     isSensitiveFunc,
		"nonsensitive":    nonsensitiveFunc,
		"sensitive":       sensitiveFunc,
		"tobool":          stdlib.MakeToFunc(cty.Bool),
		"tolist":          stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":           stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber":        stdlib.MakeToFunc(cty.Number),
		"toset":           stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring":        stdlib.MakeToFunc(cty.String),
		"try":             tryfunc.TryFunc,
		"type":            typeFunc,
	}

	for name, f := range fns {
		if !handlesMarks[name] {
			fns[name] = keepUnknownMarks(f)
		}
	}
	for _, a := range adapt {
		a(fns)
	}

	// Templates rendered by templatefile and templatestring see the same
	// functions, except that a template may not render another template
	// (Terraform forbids that too), so recursion is bounded.
	inTemplate := make(map[string]function.Function, len(fns)+2)
	for name, f := range fns {
		inTemplate[name] = f
	}
	inTemplate["templatefile"] = nestedTemplateFunc("templatefile", 2)
	inTemplate["templatestring"] = nestedTemplateFunc("templatestring", 2)
	fns["templatefile"] = sb.templateFileFunc(inTemplate)
	fns["templatestring"] = templateStringFunc(inTemplate)

	addCoreAliases(inTemplate)
	addCoreAliases(fns)
	return fns
}

// addCoreAliases registers every function of fns also as "core::name".
func addCoreAliases(fns map[string]function.Function) {
	names := make([]string, 0, len(fns))
	for name := range fns {
		names = append(names, name)
	}
	for _, name := range names {
		fns["core::"+name] = fns[name]
	}
}

// providerPrefix starts the name of every provider-defined function.
const providerPrefix = "provider::"

// isProviderFunction reports whether name is a provider-defined function
// ("provider::aws::arn_parse"), whose implementation lives in a provider
// plugin that a static evaluator does not run.
func isProviderFunction(name string) bool {
	return strings.HasPrefix(name, providerPrefix)
}

// providerFunction stands for a provider-defined function: it takes any
// number of arguments of any type (unknown and null included) and its
// result is always unknown, of unknown type. The marks of the arguments
// (sensitivity) carry over to the result.
func providerFunction() function.Function {
	return function.New(&function.Spec{
		Description: "A provider-defined function, whose result is not known statically.",
		VarParam: &function.Parameter{
			Name:             "args",
			Type:             cty.DynamicPseudoType,
			AllowUnknown:     true,
			AllowNull:        true,
			AllowDynamicType: true,
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.DynamicVal, nil
		},
	})
}

// unknownFunc returns a function whose result is an unknown value of type
// ret, carrying the marks of its arguments. params and varParam (nil for
// none) are its signature; they accept unknown and null values.
func unknownFunc(ret cty.Type, params []function.Parameter, varParam *function.Parameter) function.Function {
	for i := range params {
		params[i].AllowUnknown, params[i].AllowNull = true, true
	}
	if varParam != nil {
		varParam.AllowUnknown, varParam.AllowNull = true, true
	}
	return function.New(&function.Spec{
		Params:   params,
		VarParam: varParam,
		Type:     function.StaticReturnType(ret),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.UnknownVal(ret), nil
		},
	})
}

// lengthFunc is Terraform's length: characters (grapheme clusters) of a
// string, elements of a list, set or map, elements or attributes of a
// tuple or object. Only the value's own marks pass to the result, not
// those of its elements.
var lengthFunc = function.New(&function.Spec{
	Description: "Returns the length of the given string, collection or structural value.",
	Params:      []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true, AllowMarked: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty == cty.String || ty == cty.DynamicPseudoType || ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType():
			return cty.Number, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "argument must be a string, a collection type, or a structural type")
	},
	RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
		return b.NotNull().NumberRangeLowerBound(cty.Zero, true)
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v, marks := args[0].Unmark()
		ty := v.Type()
		switch {
		case ty.IsObjectType():
			return cty.NumberIntVal(int64(len(ty.AttributeTypes()))).WithMarks(marks), nil
		case ty.IsTupleType():
			return cty.NumberIntVal(int64(len(ty.TupleElementTypes()))).WithMarks(marks), nil
		case ty == cty.String:
			n, err := stdlib.Strlen(v)
			return n.WithMarks(marks), err
		case !v.IsKnown():
			return cty.UnknownVal(cty.Number).WithMarks(marks), nil
		}
		return v.Length().WithMarks(marks), nil
	},
})

// handlesMarks lists the functions that keepUnknownMarks leaves alone:
// those whose purpose is to inspect or change marks, and try and can,
// whose arguments are expressions.
var handlesMarks = map[string]bool{
	"sensitive": true, "nonsensitive": true, "issensitive": true,
	"ephemeralasnull": true, "type": true, "try": true, "can": true,
}

// keepUnknownMarks wraps f so that the marks of its unknown arguments
// reach its result. go-cty returns an unknown result without calling a
// function that does not accept unknown arguments, and then drops the marks
// of those arguments whose parameter accepts marked values (so abs of a
// sensitive unknown number would not be sensitive); some stdlib functions
// that accept unknown and marked arguments drop them too (keys,
// setproduct). The wrapper also converts the arguments to the parameter
// types first, as HCL does, so that direct calls behave like calls from
// expressions (stdlib's set functions panic on a DynamicVal argument
// otherwise). Functions that need neither are returned as they are.
func keepUnknownMarks(f function.Function) function.Function {
	params, vp := f.Params(), f.VarParam()
	all := append([]function.Parameter{}, params...)
	if vp != nil {
		all = append(all, *vp)
	}
	needs := false
	for _, p := range all {
		needs = needs || p.AllowMarked || (p.AllowDynamicType && p.Type != cty.DynamicPseudoType)
	}
	if !needs {
		return f
	}
	open := func(p function.Parameter) function.Parameter {
		p.AllowMarked, p.AllowUnknown, p.AllowDynamicType = true, true, true
		return p
	}
	wrapped := make([]function.Parameter, len(params))
	for i, p := range params {
		wrapped[i] = open(p)
	}
	var wrappedVP *function.Parameter
	if vp != nil {
		w := open(*vp)
		wrappedVP = &w
	}
	convertArgs := func(args []cty.Value) ([]cty.Value, error) {
		out := make([]cty.Value, len(args))
		for i, a := range args {
			p := vp
			if i < len(params) {
				p = &params[i]
			}
			c, err := convert.Convert(a, p.Type)
			if err != nil {
				return nil, function.NewArgError(i, err)
			}
			out[i] = c
		}
		return out, nil
	}
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      wrapped,
		VarParam:    wrappedVP,
		Type: func(args []cty.Value) (cty.Type, error) {
			args, err := convertArgs(args)
			if err != nil {
				return cty.NilType, err
			}
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			args, err := convertArgs(args)
			if err != nil {
				return cty.NilVal, err
			}
			v, err := f.Call(args)
			if err != nil {
				return cty.NilVal, err
			}
			for _, a := range args {
				if !a.IsKnown() {
					_, marks := a.Unmark()
					v = v.WithMarks(marks)
				}
			}
			return v, nil
		},
	})
}

package terraform

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/safefs"
)

// VarInput is one -var or -var-file given on the command line. Inputs are
// applied in the order given, after the files Terraform loads automatically.
type VarInput struct {
	// File is the display name of a variables file; empty for a -var.
	File string
	// Content is the variables file's content.
	Content []byte
	// Name and Value are a -var NAME=VALUE.
	Name, Value string
}

// rawValue is a value given for a variable before conversion to its type,
// with where it came from.
type rawValue struct {
	val  cty.Value // NilVal when text must be parsed per the declared type
	text string    // raw text of a -var or TF_VAR_ value
	from string    // for messages: "-var region", "terraform.tfvars"

	rng      hcl.Range // where the value is written; zero for -var and TF_VAR_
	kind     string    // graph.Origin* kind
	desc     string
	depth    int
	external bool
	// secret: the value comes from the environment (TF_VAR_) or a -var
	// on the command line. Those are the CI job's, not the repository's,
	// so they are sensitive whatever the declaration says: a new root
	// declaring the variable without sensitive must not print them.
	secret bool
}

// originMark is the cty mark that records where a value was written. Marks
// travel with values through expressions and functions, so a resource
// attribute knows every variable default, tfvars entry and module argument
// its value came through.
type originMark struct {
	kind, desc, file string
	sl, sc, sb       int
	el, ec, eb       int
	depth            int
	external         bool
	values           string // the known scalars carried, "\x00"-separated (see graph.Origin.Values)
	partial          bool   // values is cut short (see graph.Origin.Partial)
	literal          bool   // the hop is a literal (see graph.Origin.Written)
}

func (e *evaluator) mark(raw rawValue, v cty.Value) (originMark, bool) {
	if raw.rng.Filename == "" {
		return originMark{}, false
	}
	r := e.st.pos.rng(raw.rng)
	values, partial := boundedScalars(v)
	return originMark{kind: raw.kind, desc: raw.desc, file: r.File,
		sl: r.Start.Line, sc: r.Start.Column, sb: r.Start.Byte,
		el: r.End.Line, ec: r.End.Column, eb: r.End.Byte,
		depth: raw.depth, external: raw.external, values: values, partial: partial}, true
}

// scalars lists the known scalar values of v as text, bounded. Sensitive
// parts are left out: origins are shown to users.
func scalars(v cty.Value) string {
	s, _ := boundedScalars(v)
	return s
}

// boundedScalars is scalars, and whether values were left out for the
// bound (a long string, too many values).
func boundedScalars(v cty.Value) (string, bool) {
	const maxValues, maxLen = 64, 512
	var out []string
	partial := false
	var walk func(cty.Value)
	walk = func(v cty.Value) {
		if v.HasMark(sensitiveMark{}) {
			partial = true
			return
		}
		v, _ = v.Unmark()
		if !v.IsKnown() || v.IsNull() {
			return
		}
		if len(out) >= maxValues {
			partial = true
			return
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			if s := v.AsString(); len(s) <= maxLen {
				out = append(out, s)
			} else {
				partial = true
			}
		case ty == cty.Number:
			out = append(out, numberText(v.AsBigFloat()))
		case ty == cty.Bool:
			out = append(out, fmt.Sprint(v.True()))
		case ty.IsCollectionType() || ty.IsObjectType() || ty.IsTupleType():
			for it := v.ElementIterator(); it.Next(); {
				_, ev := it.Element()
				walk(ev)
			}
		}
	}
	walk(v)
	return strings.Join(out, "\x00"), partial
}

func (m originMark) origin() graph.Origin {
	var values []string
	if m.values != "" {
		values = strings.Split(m.values, "\x00")
	}
	return graph.Origin{Kind: m.kind, Description: m.desc, External: m.external, Values: values,
		Partial: m.partial, Written: m.literal, Range: graph.Range{File: m.file,
			Start: graph.Pos{Line: m.sl, Column: m.sc, Byte: m.sb}, End: graph.Pos{Line: m.el, Column: m.ec, Byte: m.eb}}}
}

// originRank orders the hops of a value from where it was first written to
// where it was last passed on.
func originRank(kind string) int {
	switch kind {
	case graph.OriginVariableDefault, graph.OriginVarsFile, graph.OriginCommandLine, graph.OriginEnvironment:
		return 0
	}
	return 1
}

// inputValues gathers the values given for root module variables, in
// Terraform's precedence order: TF_VAR_ environment variables,
// terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) in lexical
// order, then -var and -var-file in command line order. Later values win.
func (e *evaluator) inputValues(opts Options) map[string]rawValue {
	out := map[string]rawValue{}
	envNames := make([]string, 0, len(opts.Env))
	for k := range opts.Env {
		envNames = append(envNames, k)
	}
	sort.Strings(envNames)
	for _, k := range envNames {
		name, ok := strings.CutPrefix(k, "TF_VAR_")
		if !ok || name == "" {
			continue
		}
		if _, declared := e.cfg.variables[name]; !declared {
			continue // Terraform ignores environment values for undeclared variables
		}
		out[name] = rawValue{text: opts.Env[k], from: "environment variable " + k, kind: graph.OriginEnvironment, secret: true}
	}
	entries, _ := fs.ReadDir(e.st.fsys, e.cfg.dir)
	var auto []string
	for _, ent := range entries {
		n := ent.Name()
		if !ent.IsDir() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
			auto = append(auto, n)
		}
	}
	sort.Strings(auto)
	files := append([]string{"terraform.tfvars", "terraform.tfvars.json"}, auto...)
	for _, n := range files {
		name := path.Join(e.cfg.dir, n)
		src, err := safefs.ReadFile(e.st.fsys, name, MaxFileSize)
		if errors.Is(err, fs.ErrNotExist) {
			continue // absent: nothing to load
		}
		if err != nil {
			// A variables file that exists but cannot be read (a link out of
			// the scan root, not a regular file, too large) may set values
			// that decide findings: the scan is incomplete.
			e.st.diags = append(e.st.diags, graph.Diagnostic{Severity: graph.SeverityError,
				Summary: "cannot read variables file", Detail: safefs.Cause(err).Error(), Range: graph.Range{File: name}})
			continue
		}
		e.varsFile(name, src, out)
	}
	for _, in := range opts.Vars {
		if in.File != "" {
			e.varsFile(in.File, in.Content, out)
			continue
		}
		if _, declared := e.cfg.variables[in.Name]; !declared {
			e.st.diags = append(e.st.diags, graph.Diagnostic{Severity: graph.SeverityWarning,
				Summary: "value for undeclared variable",
				Detail:  fmt.Sprintf("-var %s is given, but no variable %q is declared in %s", in.Name, in.Name, e.cfg.dir)})
			continue
		}
		out[in.Name] = rawValue{text: in.Value, from: "-var " + in.Name, kind: graph.OriginCommandLine, secret: true}
	}
	return out
}

func (e *evaluator) varsFile(name string, src []byte, out map[string]rawValue) {
	e.st.pos.add(name, src)
	e.st.files = append(e.st.files, name)
	f, diags := parseSource(name, src, strings.HasSuffix(name, ".json"))
	for _, d := range diags {
		e.st.diags = append(e.st.diags, e.st.pos.diagnostic(d))
	}
	if f == nil {
		return
	}
	attrs, diags := f.Body.JustAttributes()
	for _, d := range diags {
		e.st.diags = append(e.st.diags, e.st.pos.diagnostic(d))
	}
	for n, a := range attrs {
		markLiterals(a.Expr, &literalSite{kind: graph.OriginVarsFile, desc: fmt.Sprintf("value of var.%s written in %s", n, name)}, e.st.pos)
		if _, declared := e.cfg.variables[n]; !declared {
			e.diag(graph.SeverityWarning, "value for undeclared variable",
				fmt.Sprintf("%s sets %q, which is not declared in %s", name, n, e.cfg.dir), a.NameRange)
			continue
		}
		v, d := a.Expr.Value(nil)
		e.valueDiags(e.cfg.variables[n], d)
		if d.HasErrors() {
			v = cty.DynamicVal
		}
		out[n] = rawValue{val: v, from: name, rng: a.Expr.Range(), kind: graph.OriginVarsFile,
			desc: fmt.Sprintf("value of var.%s from %s", n, name)}
	}
}

// bindVariables computes the value of every declared variable of the root
// module: the given value, else the default, else unknown of its type.
func (e *evaluator) bindVariables(given map[string]rawValue) {
	for name, vc := range e.cfg.variables {
		raw, ok := given[name]
		e.vars[name] = e.bindVariable(vc, raw, ok)
	}
}

// bindVariable converts a given value (or the default) to the variable's
// type, applies optional attribute defaults, and marks it with its origin
// and sensitivity: sensitive when the declaration says so, and always when
// the value comes from the environment or a -var (rawValue.secret).
func (e *evaluator) bindVariable(vc *variableConfig, raw rawValue, given bool) cty.Value {
	var v cty.Value
	sensitive := vc.sensitive || (given && raw.secret)
	switch {
	case given && raw.val != cty.NilVal:
		v = raw.val
	case given:
		v = e.parseVarText(vc, raw, sensitive)
	case vc.def != nil:
		dv, diags := vc.def.Value(nil)
		e.valueDiags(vc, diags)
		if diags.HasErrors() {
			dv = cty.UnknownVal(vc.typ)
		}
		v = dv
		raw = rawValue{rng: vc.def.Range(), kind: graph.OriginVariableDefault,
			desc: fmt.Sprintf("value from the default of var.%s", vc.name), depth: e.depth, external: e.remote()}
	default:
		if vc.sensitive {
			return cty.UnknownVal(vc.typ).Mark(sensitiveMark{})
		}
		return cty.UnknownVal(vc.typ)
	}
	if v.IsNull() && !vc.nullable && vc.def != nil {
		if dv, diags := vc.def.Value(nil); !diags.HasErrors() {
			v = dv
			raw = rawValue{rng: vc.def.Range(), kind: graph.OriginVariableDefault,
				desc: fmt.Sprintf("value from the default of var.%s", vc.name), depth: e.depth, external: e.remote()}
		}
	}
	if vc.defaults != nil && v.IsKnown() && !v.IsNull() {
		v = applyDefaults(vc.defaults, v)
	}
	cv, err := convert.Convert(v, vc.typ)
	if err != nil {
		at := raw.rng
		if at.Filename == "" {
			at = vc.declRange
		}
		detail := fmt.Sprintf("var.%s: %s", vc.name, err)
		if sensitive {
			detail = fmt.Sprintf("var.%s: the value given by %s is not valid for its type; it is sensitive and is not shown", vc.name, givenBy(raw))
		}
		e.diag(graph.SeverityWarning, "invalid value for variable", detail, at)
		cv = cty.UnknownVal(vc.typ)
	}
	if sensitive {
		cv = cv.Mark(sensitiveMark{})
	}
	if m, ok := e.mark(raw, cv); ok {
		cv = cv.Mark(&m) // a pointer: mark sets hash it, not its text
	}
	return cv
}

// parseVarText interprets a -var or TF_VAR_ value as Terraform does:
// literally for string types, as an HCL expression otherwise. Problems do
// not quote the value when it is sensitive.
func (e *evaluator) parseVarText(vc *variableConfig, raw rawValue, sensitive bool) cty.Value {
	if vc.typ == cty.String || (vc.typ.IsPrimitiveType() && !vc.hasType) || vc.typ == cty.DynamicPseudoType && !vc.hasType {
		return cty.StringVal(raw.text)
	}
	if p := checkSource([]byte(raw.text), scanExpression); p != nil {
		e.diag(graph.SeverityError, p.summary, fmt.Sprintf("var.%s: the value given by %s: %s", vc.name, raw.from, p.detail), vc.declRange)
		return cty.UnknownVal(vc.typ)
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw.text), "<"+raw.from+">", hcl.InitialPos)
	if !diags.HasErrors() {
		var v cty.Value
		if v, diags = expr.Value(nil); !diags.HasErrors() {
			return v
		}
	}
	// The value is unknown: a warning, given at the declaration, as
	// -var and TF_VAR_ values have no place in a file.
	detail := fmt.Sprintf("var.%s: %s: %s", vc.name, raw.from, diags.Error())
	if sensitive {
		detail = fmt.Sprintf("var.%s: the value given by %s is not valid HCL; it is sensitive and is not shown", vc.name, raw.from)
	}
	e.diag(graph.SeverityWarning, "invalid value for variable", detail, vc.declRange)
	return cty.UnknownVal(vc.typ)
}

// valueDiags reports the diagnostics of evaluating a variable's value in a
// variables file or its default: warnings, since the value is only
// unknown, and without their detail when the variable is sensitive.
func (e *evaluator) valueDiags(vc *variableConfig, diags hcl.Diagnostics) {
	for _, d := range diags {
		gd := e.st.pos.diagnostic(d)
		gd.Severity = graph.SeverityWarning
		if vc != nil && vc.sensitive {
			gd.Detail = fmt.Sprintf("The value of var.%s is sensitive, so the details are not shown.", vc.name)
		}
		e.st.diags = append(e.st.diags, gd)
	}
}

// givenBy names where a variable's value came from.
func givenBy(raw rawValue) string {
	switch {
	case raw.from != "":
		return raw.from
	case raw.kind == graph.OriginVariableDefault:
		return "its default"
	case raw.kind == graph.OriginModuleArgument:
		return "the module argument"
	}
	return "its value"
}

// applyDefaults fills optional(type, default) attributes. It works on the
// unmarked value (and marks it again) and leaves unknown parts alone.
func applyDefaults(d *typeexpr.Defaults, v cty.Value) (out cty.Value) {
	defer func() {
		if recover() != nil {
			out = v // leave the value as given rather than lose it
		}
	}()
	unmarked, marks := v.UnmarkDeepWithPaths()
	return d.Apply(unmarked).MarkWithPaths(marks)
}

package terraform

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/portcullis-iac/portcullis/parser/graph"
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

// rawValue is a value given for a variable before conversion to its type.
type rawValue struct {
	val  cty.Value
	text string // raw text of a -var, taken literally for string types
	from string // where it came from, for messages
	rng  hcl.Range
}

// inputValues gathers the values given for root module variables, in
// Terraform's precedence order: terraform.tfvars, terraform.tfvars.json,
// *.auto.tfvars(.json) in lexical order, then -var and -var-file in command
// line order. Later values win.
func (e *evaluator) inputValues(fsys fs.FS, inputs []VarInput) map[string]rawValue {
	out := map[string]rawValue{}
	entries, _ := fs.ReadDir(fsys, e.cfg.dir)
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
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			continue // absent: nothing to load
		}
		e.varsFile(name, src, out)
	}
	for _, in := range inputs {
		if in.File != "" {
			e.varsFile(in.File, in.Content, out)
			continue
		}
		out[in.Name] = rawValue{text: in.Value, from: "-var " + in.Name}
	}
	return out
}

func (e *evaluator) varsFile(name string, src []byte, out map[string]rawValue) {
	e.cfg.sources[name] = src
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(name, ".json") {
		f, diags = hcljson.Parse(src, name)
	} else {
		f, diags = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	}
	for _, d := range diags {
		e.diags = append(e.diags, e.cfg.positions.diagnostic(d))
	}
	if f == nil {
		return
	}
	attrs, diags := f.Body.JustAttributes()
	for _, d := range diags {
		e.diags = append(e.diags, e.cfg.positions.diagnostic(d))
	}
	for n, a := range attrs {
		if _, declared := e.cfg.variables[n]; !declared {
			e.diag(graph.SeverityWarning, "value for undeclared variable",
				fmt.Sprintf("%s sets %q, which is not declared in %s", name, n, e.cfg.dir), a.NameRange)
			continue
		}
		v, d := a.Expr.Value(nil)
		for _, x := range d {
			e.diags = append(e.diags, e.cfg.positions.diagnostic(x))
		}
		if d.HasErrors() {
			v = cty.DynamicVal
		}
		out[n] = rawValue{val: v, from: name, rng: a.Expr.Range()}
	}
}

// bindVariables computes the value of every declared variable: the given
// value, else the default, else unknown of the declared type.
func (e *evaluator) bindVariables(given map[string]rawValue) {
	for name, vc := range e.cfg.variables {
		var v cty.Value
		at := vc.declRange
		raw, ok := given[name]
		switch {
		case ok && raw.val != cty.NilVal:
			v, at = raw.val, raw.rng
		case ok:
			v = e.parseVarText(vc, raw)
		case vc.def != nil:
			dv, diags := vc.def.Value(nil)
			for _, d := range diags {
				e.diags = append(e.diags, e.cfg.positions.diagnostic(d))
			}
			if diags.HasErrors() {
				dv = cty.UnknownVal(vc.typ)
			}
			v, at = dv, vc.def.Range()
		default:
			v = cty.UnknownVal(vc.typ)
		}
		if v.IsNull() && !vc.nullable && vc.def != nil {
			v, _ = vc.def.Value(nil)
		}
		if vc.defaults != nil && v.IsKnown() && !v.IsNull() {
			v = vc.defaults.Apply(v)
		}
		cv, err := convert.Convert(v, vc.typ)
		if err != nil {
			e.diag(graph.SeverityError, "invalid value for variable",
				fmt.Sprintf("var.%s: %s", name, err), at)
			cv = cty.UnknownVal(vc.typ)
		}
		if vc.sensitive {
			cv = cv.Mark(sensitiveMark{})
		}
		e.vars[name] = cv
	}
	for name, raw := range given {
		if _, ok := e.cfg.variables[name]; !ok && raw.val == cty.NilVal {
			e.diags = append(e.diags, graph.Diagnostic{Severity: graph.SeverityWarning,
				Summary: "value for undeclared variable",
				Detail:  fmt.Sprintf("%s, but no variable %q is declared in %s", raw.from, name, e.cfg.dir)})
		}
	}
}

// parseVarText interprets a -var value as Terraform does: literally for
// string types, as an HCL expression otherwise.
func (e *evaluator) parseVarText(vc *variableConfig, raw rawValue) cty.Value {
	if vc.typ == cty.String || (vc.typ.IsPrimitiveType() && !vc.hasType) || vc.typ == cty.DynamicPseudoType && !vc.hasType {
		return cty.StringVal(raw.text)
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw.text), "<"+raw.from+">", hcl.InitialPos)
	if diags.HasErrors() {
		e.diags = append(e.diags, graph.Diagnostic{Severity: graph.SeverityError,
			Summary: "invalid value for variable", Detail: fmt.Sprintf("%s: %s", raw.from, diags.Error())})
		return cty.UnknownVal(vc.typ)
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() {
		e.diags = append(e.diags, graph.Diagnostic{Severity: graph.SeverityError,
			Summary: "invalid value for variable", Detail: fmt.Sprintf("%s: %s", raw.from, diags.Error())})
		return cty.UnknownVal(vc.typ)
	}
	return v
}

package terraform

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Every input is bounded: a configuration written to exhaust the scanner
// (nesting that overflows the parser's stack, locals that double a value
// forty times, loops nested over large ranges, thousands of module
// instances) ends with an error diagnostic that names the file, the
// position and the limit, and everything else is still evaluated.
//
// Limits checked before a file is parsed (the same for every file, in
// every syntax: .tf, .tf.json, .tfvars, .tfvars.json, -var-file contents,
// -var and TF_VAR_ values read as expressions, templatefile and
// templatestring templates, jsondecode and yamldecode input):
const (
	// MaxNesting bounds how deeply brackets, braces, parentheses, blocks,
	// strings and template sequences (${...}, %{if}, %{for}) nest.
	MaxNesting = 256
	// MaxExpressionDepth bounds the depth of one expression's syntax tree,
	// estimated as its nesting plus the operators, indexes and splats of
	// the expressions it is inside (a+b+c+... is as deep as it is long).
	MaxExpressionDepth = 1024
	// MaxFileTokens bounds the tokens (names, numbers, operators,
	// punctuation, newlines, string pieces) of one file: the parsers use a
	// few hundred bytes per token.
	MaxFileTokens = 2_000_000
	// MaxDiagnosticsPerFile bounds the diagnostics reported for one file;
	// the rest are counted in one more diagnostic. A file with more
	// invalid characters than this is not parsed at all.
	MaxDiagnosticsPerFile = graph.DefaultDiagnosticsPerFile
)

// Limits checked while evaluating (structural, not configurable):
const (
	// MaxModuleDepth bounds the nesting of module calls.
	MaxModuleDepth = 10
	// MaxReferenceDepth bounds a chain of values evaluated to evaluate one
	// value (a local that reads a local that reads a variable ...).
	MaxReferenceDepth = 512
	// MaxValueDepth bounds the nesting of a value built by evaluation.
	MaxValueDepth = 1024
	// MaxInstances is the default of Limits.Instances.
	MaxInstances = 100_000
)

// Limits of functions whose work is not bounded by their arguments' size
// (the rest is charged to Limits.ValueBytes):
const (
	// MaxGlobAlternatives bounds the patterns a fileset pattern's braces
	// expand to, and MaxGlobSize their total length.
	MaxGlobAlternatives = 1024
	MaxGlobSize         = 64 << 10
	// MaxYAMLNodes bounds the nodes yamldecode's input expands to through
	// its aliases.
	MaxYAMLNodes = 1_000_000
	// MaxParseIntDigits bounds the digits parseint parses.
	MaxParseIntDigits = 4096
)

// Limits are the evaluation budgets of one root module tree (the root
// module and every module instance it calls). A zero field takes its
// default from DefaultLimits.
type Limits struct {
	// ValueBytes bounds the approximate size of what evaluation builds and
	// reads: every value an expression, function call, loop iteration or
	// template produces, counted as ValueOverhead bytes per value (each
	// element, attribute and key) plus the bytes of its strings; each for
	// iteration counts LoopOverhead bytes plus NodeOverhead per node of the
	// loop's body, each block a dynamic block generates BlockOverhead
	// bytes, each reference edge and each entry fileset visits
	// LoopOverhead bytes. The units are set so that spending the whole
	// budget takes seconds, whatever spends it. Default 256 MiB.
	//
	// When it is spent, the value being built is unknown and an error
	// diagnostic says where; evaluation goes on with a reserve of a
	// quarter of the budget, of which each expression may spend at most
	// 64 KiB, so that the resources after it are still evaluated from
	// their own small expressions.
	ValueBytes int64
	// Instances bounds the resource and module instances of the whole
	// module tree, after count and for_each. Default MaxInstances. An
	// expansion past it is evaluated as one instance with an unknown key,
	// with an error diagnostic; once no instance is left, not at all.
	Instances int
	// FilesetEntries bounds the files and directories one fileset call
	// visits. Default 100,000.
	FilesetEntries int
}

// Accounting units of Limits.ValueBytes.
const (
	ValueOverhead = 64
	LoopOverhead  = 512
	NodeOverhead  = 64
	BlockOverhead = 2048
)

// DefaultLimits returns the default evaluation budgets.
func DefaultLimits() Limits {
	return Limits{ValueBytes: 256 << 20, Instances: MaxInstances, FilesetEntries: 100_000}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.ValueBytes <= 0 {
		l.ValueBytes = d.ValueBytes
	}
	if l.Instances <= 0 {
		l.Instances = d.Instances
	}
	if l.FilesetEntries <= 0 {
		l.FilesetEntries = d.FilesetEntries
	}
	return l
}

// perExpression is what one expression may spend once the budget is spent.
const perExpression = 64 << 10

// errBudget is the error of a function call refused by the budget; its
// diagnostic is the budget's own.
var errBudget = errors.New("evaluation budget exceeded")

// budget is the evaluation budget of one root module tree. It is used by
// one goroutine (a root is evaluated sequentially).
type budget struct {
	limits Limits
	add    func(graph.Diagnostic)
	pos    *positions

	used      int64
	exhausted bool  // ValueBytes spent: now in the reserve
	start     int64 // used when the current expression began (in the reserve)
	at        hcl.Range

	instances    int
	deepReported bool
	instReported map[hcl.Range]bool

	// refusals are the file reads refused while the current expression
	// was evaluated, seen here even when can() or try() swallow them.
	refusals []*refusedRead
}

func newBudget(l Limits, add func(graph.Diagnostic), pos *positions) *budget {
	return &budget{limits: l.withDefaults(), add: add, pos: pos, instReported: map[hcl.Range]bool{}}
}

// addDiag records a diagnostic of the module tree: an exact duplicate is
// dropped, and past MaxDiagnosticsPerFile for its file it is only counted
// (flushDiags reports the count), so that a configuration that makes a
// diagnostic per instance or per iteration does not fill memory with them.
func (st *loadState) addDiag(d graph.Diagnostic) {
	if st.diagSeen == nil {
		st.diagSeen, st.diagCount, st.diagFirst = map[string]bool{}, map[string]int{}, map[string]graph.Pos{}
	}
	if st.diagCount[d.Range.File] >= MaxDiagnosticsPerFile {
		if st.diagCount[d.Range.File] == MaxDiagnosticsPerFile {
			st.diagFirst[d.Range.File] = d.Range.Start
		}
		st.diagCount[d.Range.File]++
		return
	}
	k := fmt.Sprintf("%s|%d|%s|%s", d.Range.File, d.Range.Start.Byte, d.Summary, d.Detail)
	if st.diagSeen[k] {
		return
	}
	st.diagSeen[k] = true
	st.diagCount[d.Range.File]++
	st.diags = append(st.diags, d)
}

// flushDiags adds, for each file that had more than MaxDiagnosticsPerFile
// diagnostics, the one that counts those not shown.
func (st *loadState) flushDiags() {
	files := make([]string, 0, len(st.diagCount))
	for f, n := range st.diagCount {
		if n > MaxDiagnosticsPerFile {
			files = append(files, f)
		}
	}
	sort.Strings(files)
	for _, f := range files {
		st.diags = append(st.diags, tooMany(f, st.diagFirst[f], st.diagCount[f]-MaxDiagnosticsPerFile))
	}
}

// tooManySummary is the summary the CLI's own cap (graph.CapDiagnostics)
// recognises as a cap already applied.
const tooManySummary = graph.SummaryTooManyDiagnostics

func tooMany(file string, at graph.Pos, n int) graph.Diagnostic {
	return graph.Diagnostic{Severity: graph.SeverityError, Summary: tooManySummary,
		Detail: fmt.Sprintf("%d more diagnostics for this file are not shown (at most %d per file)", n, MaxDiagnosticsPerFile),
		Range:  graph.Range{File: file, Start: at, End: at}}
}

func (b *budget) report(at hcl.Range, summary, detail string) {
	if _, known := b.pos.source(at.Filename); !known {
		// Not a position in a file (a template given to templatestring or
		// read by templatefile): the expression being evaluated.
		at = b.at
	}
	b.add(graph.Diagnostic{Severity: graph.SeverityError, Summary: summary, Detail: detail, Range: b.pos.rng(at)})
}

// enter starts an expression at r: in the reserve it may spend up to
// perExpression. It returns what leave restores.
func (b *budget) enter(r hcl.Range) (int64, hcl.Range) {
	s, a := b.start, b.at
	b.start, b.at = b.used, r
	return s, a
}

func (b *budget) leave(start int64, at hcl.Range) { b.start, b.at = start, at }

// left is what may still be spent.
func (b *budget) left() int64 {
	if !b.exhausted {
		return b.limits.ValueBytes - b.used
	}
	l := b.limits.ValueBytes + b.limits.ValueBytes/4 - b.used
	if s := perExpression - (b.used - b.start); s < l {
		l = s
	}
	return max(l, 0)
}

// spend charges n bytes at r (the zero range: the current expression's)
// and reports whether they were available.
func (b *budget) spend(n int64, r hcl.Range) bool {
	if n <= b.left() {
		b.used += n
		return true
	}
	if !b.exhausted {
		b.exhausted = true
		b.start = b.used
		b.report(r, "evaluation budget exceeded",
			fmt.Sprintf("evaluating this module tree builds more than %d bytes of values (loops, function calls, copies of large values); this value is unknown, and values evaluated after it may be unknown too", b.limits.ValueBytes))
	}
	return false
}

// charge spends the size of v, built at r.
func (b *budget) charge(v cty.Value, r hcl.Range) bool {
	left := b.left()
	n, deep := valueSize(v, left+1, 0)
	if deep {
		if !b.deepReported {
			b.deepReported = true
			b.report(r, "value nested too deep", fmt.Sprintf("this value is nested more than %d levels deep; it is unknown", MaxValueDepth))
		}
		return false
	}
	return b.spend(n, r)
}

// shallowCharge spends the overhead of v plus the bytes of a string: the
// work of a function that reads v without walking it.
func (b *budget) shallowCharge(v cty.Value) bool {
	v, _ = v.Unmark()
	n := int64(ValueOverhead)
	if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		n += int64(len(v.AsString()))
	}
	return b.spend(n, hcl.Range{})
}

// valueSize is the approximate size of v in bytes (ValueOverhead per
// value, plus string bytes and attribute names), counted up to limit, and
// whether v is nested deeper than MaxValueDepth.
func valueSize(v cty.Value, limit int64, depth int) (int64, bool) {
	if depth > MaxValueDepth {
		return 0, true
	}
	n := int64(ValueOverhead)
	ty := v.Type()
	if ty != cty.String && (ty.IsPrimitiveType() || ty.IsCapsuleType()) {
		return n, false // known or not: unmarking (a copy of its marks) is not needed to tell
	}
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return n, false
	}
	switch {
	case ty == cty.String:
		return n + int64(len(v.AsString())), false
	case ty.IsPrimitiveType() || ty.IsCapsuleType():
		return n, false
	}
	keyed := ty.IsObjectType() || ty.IsMapType()
	for it := v.ElementIterator(); it.Next(); {
		if n > limit {
			return n, false
		}
		k, ev := it.Element()
		if keyed {
			n += int64(len(k.AsString()))
		}
		s, deep := valueSize(ev, limit-n, depth+1)
		if deep {
			return n, true
		}
		n += s
	}
	return n, false
}

// admit reserves n instances for an expansion at r (a count, a for_each,
// a module call or a single resource). It returns n when they fit; else,
// with an error diagnostic once per location, 1 while any instance is left
// (the caller evaluates one representative instance with an unknown key)
// and 0 after that.
func (b *budget) admit(n int, r hcl.Range) int {
	if n <= b.room() {
		b.instances += n
		return n
	}
	if !b.instReported[r] {
		b.instReported[r] = true
		b.report(r, "too many instances",
			fmt.Sprintf("the module tree expands to more than %d resource and module instances (count, for_each and module calls in every module together); past that an expansion is evaluated as one instance with an unknown key, and once none is left not at all", b.limits.Instances))
	}
	if b.room() > 0 {
		b.instances++
		return 1
	}
	return 0
}

// room is how many more instances fit.
func (b *budget) room() int { return b.limits.Instances - b.instances }

// The budget is found from an evaluation context: the root context of an
// expression holds it as a variable no expression can name, and the
// function tables (which templates are evaluated with) as a function no
// expression can call.
const (
	budgetVariable = "\x00portcullis evaluation budget\x00"
	budgetFunction = "\x00portcullis evaluation budget\x00"
)

var budgetType = cty.Capsule("budget", reflect.TypeOf(budget{}))

func (b *budget) value() cty.Value { return cty.CapsuleVal(budgetType, b) }

func budgetOf(ctx *hcl.EvalContext) *budget {
	if ctx == nil {
		return nil
	}
	for ctx.Parent() != nil {
		ctx = ctx.Parent()
	}
	if v, ok := ctx.Variables[budgetVariable]; ok {
		return v.EncapsulatedValue().(*budget)
	}
	if f, ok := ctx.Functions[budgetFunction]; ok {
		if v, err := f.Call(nil); err == nil {
			return v.EncapsulatedValue().(*budget)
		}
	}
	return nil
}

// metered wraps an expression node so that evaluating it spends budget.
// It embeds a ParenthesesExpr so that walks over the syntax tree (variables,
// function calls) still visit the wrapped expression itself.
type metered struct {
	*hclsyntax.ParenthesesExpr
	loop    bool  // a for expression's collection: every iteration, up front
	perItem int64 // the cost of one iteration
}

func wrapMetered(expr hclsyntax.Expression, loop bool, perItem int64) hclsyntax.Expression {
	if expr == nil {
		return nil
	}
	if _, done := expr.(*metered); done {
		return expr
	}
	return &metered{ParenthesesExpr: &hclsyntax.ParenthesesExpr{Expression: expr, SrcRange: expr.Range()}, loop: loop, perItem: perItem}
}

func (m *metered) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	v, diags := m.Expression.Value(ctx)
	b := budgetOf(ctx)
	if b == nil {
		return v, diags
	}
	if m.loop {
		u, _ := v.Unmark()
		if u.IsKnown() && !u.IsNull() && u.CanIterateElements() && !b.spend(int64(u.LengthInt())*m.perItem, m.Range()) {
			return cty.DynamicVal, diags
		}
		return v, diags
	}
	if !b.charge(v, m.Range()) {
		return cty.DynamicVal, diags
	}
	return v, diags
}

// meter rewrites a freshly parsed syntax tree (not yet shared) so that its
// evaluation spends the budget of the context it is evaluated in: each for
// expression charges its iterations before the first one and the value of
// each, template pieces, splat elements, the results of conditionals and
// the operands of == and != charge their size (the work of copying or
// comparing them). In the same walk, the conditions of conditionals and of
// for expressions' ifs are wrapped so that their provenance marks become
// switch marks (see switchMark).
func meter(n hclsyntax.Node) {
	if n == nil {
		return
	}
	var nodes []hclsyntax.Node
	_ = hclsyntax.VisitAll(n, func(x hclsyntax.Node) hcl.Diagnostics {
		switch x.(type) {
		case *hclsyntax.ForExpr, *hclsyntax.TemplateExpr, *hclsyntax.SplatExpr, *hclsyntax.ConditionalExpr, *hclsyntax.BinaryOpExpr:
			nodes = append(nodes, x)
		}
		return nil
	})
	for _, x := range nodes {
		switch x := x.(type) {
		case *hclsyntax.ForExpr:
			per := int64(LoopOverhead) + NodeOverhead*int64(countNodes(x.KeyExpr)+countNodes(x.ValExpr)+countNodes(x.CondExpr))
			x.CollExpr = wrapMetered(x.CollExpr, true, per)
			x.ValExpr = wrapMetered(x.ValExpr, false, 0)
			x.CondExpr = wrapSwitch(x.CondExpr)
		case *hclsyntax.TemplateExpr:
			if len(x.Parts) > 1 {
				for i, p := range x.Parts {
					if _, lit := p.(*hclsyntax.LiteralValueExpr); !lit {
						x.Parts[i] = wrapMetered(p, false, 0)
					}
				}
			}
		case *hclsyntax.SplatExpr:
			x.Each = wrapMetered(x.Each, false, 0)
		case *hclsyntax.ConditionalExpr:
			x.TrueResult = wrapMetered(x.TrueResult, false, 0)
			x.FalseResult = wrapMetered(x.FalseResult, false, 0)
			x.Condition = wrapSwitch(x.Condition)
		case *hclsyntax.BinaryOpExpr:
			if x.Op == hclsyntax.OpEqual || x.Op == hclsyntax.OpNotEqual {
				x.LHS = wrapMetered(x.LHS, false, 0)
				x.RHS = wrapMetered(x.RHS, false, 0)
			}
		}
	}
}

func countNodes(e hclsyntax.Expression) int {
	if e == nil {
		return 0
	}
	n := 0
	_ = hclsyntax.VisitAll(e, func(hclsyntax.Node) hcl.Diagnostics { n++; return nil })
	return n
}

// guardTemplate checks a template's source before it is parsed
// (templatefile, templatestring); funcs is the function table the template
// is evaluated with, which holds the budget that reports a limit reached.
func guardTemplate(src []byte, funcs map[string]function.Function) error {
	p := checkSource(src, scanTemplate)
	if p == nil {
		return nil
	}
	pos := offsetPos(src, p.offset)
	detail := fmt.Sprintf("in the template, at its line %d, column %d: %s", pos.Line, pos.Column, p.detail)
	if f, ok := funcs[budgetFunction]; ok {
		if v, err := f.Call(nil); err == nil {
			b := v.EncapsulatedValue().(*budget)
			b.report(b.at, p.summary, detail)
			return errBudget
		}
	}
	return fmt.Errorf("%s %s", p.summary, detail)
}

// adapt is the hook that functions() calls with its table: every
// function's arguments (for functions that walk them) and result are
// charged to the budget, functions whose result can be far larger than
// their arguments are checked before they run, and the budget is added for
// templates to find.
func (b *budget) adapt(fns map[string]function.Function) {
	names := make([]string, 0, len(fns))
	for name := range fns {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "try" || name == "can" {
			continue // their arguments are expressions, evaluated (and charged) as such
		}
		fns[name] = b.meterFunction(name, fns[name])
	}
	fns[budgetFunction] = function.New(&function.Spec{
		Type: function.StaticReturnType(budgetType),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) { return b.value(), nil },
	})
}

// shallowFunctions read their arguments without walking them.
var shallowFunctions = map[string]bool{
	"length": true, "element": true, "lookup": true, "one": true, "coalesce": true,
	"sensitive": true, "nonsensitive": true, "issensitive": true, "type": true, "ephemeralasnull": true,
}

func (b *budget) meterFunction(name string, f function.Function) function.Function {
	open := func(p function.Parameter) function.Parameter {
		p.AllowMarked, p.AllowUnknown, p.AllowNull, p.AllowDynamicType = true, true, true, true
		return p
	}
	params := f.Params()
	wrapped := make([]function.Parameter, len(params))
	for i, p := range params {
		wrapped[i] = open(p)
	}
	var vp *function.Parameter
	if p := f.VarParam(); p != nil {
		w := open(*p)
		vp = &w
	}
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      wrapped,
		VarParam:    vp,
		Type: func(args []cty.Value) (cty.Type, error) {
			// The decoders parse their input to find their result's type:
			// check it first.
			if err := b.checkDecode(name, args); err != nil {
				return cty.NilType, err
			}
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			for _, a := range args {
				ok := false
				if shallowFunctions[name] {
					ok = b.shallowCharge(a)
				} else {
					ok = b.charge(a, hcl.Range{})
				}
				if !ok {
					return cty.NilVal, errBudget
				}
			}
			if err := b.precheck(name, args); err != nil {
				return cty.NilVal, err
			}
			v, err := f.Call(args)
			if err != nil {
				var rr *refusedRead
				if errors.As(err, &rr) {
					b.refusals = append(b.refusals, rr)
				}
				return v, err
			}
			if !b.charge(v, hcl.Range{}) {
				return cty.NilVal, errBudget
			}
			return v, nil
		},
	})
}

// known returns the unmarked value of a and whether it is known and not
// null.
func known(a cty.Value) (cty.Value, bool) {
	a, _ = a.UnmarkDeep()
	return a, a.IsWhollyKnown() && !a.IsNull()
}

func knownString(a cty.Value) (string, bool) {
	a, _ = a.Unmark()
	if !a.IsKnown() || a.IsNull() || a.Type() != cty.String {
		return "", false
	}
	return a.AsString(), true
}

func knownLength(a cty.Value) (int64, bool) {
	a, _ = a.Unmark()
	if !a.IsKnown() || a.IsNull() || !a.CanIterateElements() {
		return 0, false
	}
	return int64(a.LengthInt()), true
}

// precheck charges, before a function runs, the work or the result of the
// functions whose cost is not bounded by the size of their arguments.
func (b *budget) precheck(name string, args []cty.Value) error {
	var cost int64
	switch name {
	case "setproduct":
		cost = ValueOverhead
		for _, a := range args {
			n, ok := knownLength(a)
			if !ok {
				return nil
			}
			if n == 0 {
				return nil
			}
			if cost > b.left() {
				break
			}
			cost *= n
		}
		cost *= int64(len(args)) + 1
	case "format", "formatlist":
		if len(args) > 0 {
			if f, ok := knownString(args[0]); ok {
				cost = formatWidths(f)
				if name == "formatlist" {
					n := int64(1)
					for _, a := range args[1:] {
						if l, ok := knownLength(a); ok && l > n {
							n = l
						}
					}
					cost *= n
				}
			}
		}
	case "indent":
		if len(args) == 2 {
			if n, ok := known(args[0]); ok && n.Type() == cty.Number {
				if s, ok := knownString(args[1]); ok {
					spaces, _ := n.AsBigFloat().Int64()
					cost = max(spaces, 0) * int64(strings.Count(s, "\n")+1)
				}
			}
		}
	case "replace":
		if len(args) == 3 {
			s, ok1 := knownString(args[0])
			sub, ok2 := knownString(args[1])
			rep, ok3 := knownString(args[2])
			if ok1 && ok2 && ok3 {
				count := int64(utf8.RuneCountInString(s) + 1)
				regex := len(sub) > 1 && strings.HasPrefix(sub, "/") && strings.HasSuffix(sub, "/")
				switch {
				case regex:
					cost = int64(len(s)) * int64(len(sub)) / 8 // a regular expression's matching
				case sub != "":
					count = int64(strings.Count(s, sub))
				}
				cost += count * int64(len(rep))
			}
		}
	case "join":
		if len(args) > 0 {
			if sep, ok := knownString(args[0]); ok {
				var n int64
				for _, a := range args[1:] {
					if l, ok := knownLength(a); ok {
						n += l
					}
				}
				cost = n * int64(len(sep))
			}
		}
	case "split":
		if len(args) == 2 {
			sep, ok1 := knownString(args[0])
			s, ok2 := knownString(args[1])
			if ok1 && ok2 {
				count := int64(utf8.RuneCountInString(s))
				if sep != "" {
					count = int64(strings.Count(s, sep))
				}
				cost = (count + 1) * ValueOverhead
			}
		}
	case "regex", "regexall":
		if len(args) == 2 {
			re, ok1 := knownString(args[0])
			s, ok2 := knownString(args[1])
			if ok1 && ok2 {
				cost = int64(len(s)) * int64(len(re)) / 8
				if name == "regexall" {
					cost += int64(len(s)+1) * ValueOverhead
				}
			}
		}
	case "distinct":
		if len(args) == 1 {
			if n, ok := knownLength(args[0]); ok {
				cost = n * n / 2
			}
		}
	case "matchkeys":
		if len(args) == 3 {
			n, ok1 := knownLength(args[1])
			m, ok2 := knownLength(args[2])
			if ok1 && ok2 {
				cost = n * m
			}
		}
	case "parseint":
		if len(args) > 0 {
			if s, ok := knownString(args[0]); ok && len(s) > MaxParseIntDigits {
				return function.NewArgErrorf(0, "a number of more than %d digits is not parsed", MaxParseIntDigits)
			}
		}
	case "jsondecode", "yamldecode", "csvdecode":
		if len(args) == 1 {
			if s, ok := knownString(args[0]); ok {
				cost = int64(len(s)) * 8
			}
		}
	}
	if cost > 0 && !b.spend(cost, hcl.Range{}) {
		return errBudget
	}
	return nil
}

// checkDecode checks the input of jsondecode and yamldecode before it is
// parsed (their type is found by parsing it); a limit reached is reported
// as an error diagnostic.
func (b *budget) checkDecode(name string, args []cty.Value) error {
	if name != "jsondecode" && name != "yamldecode" || len(args) != 1 {
		return nil
	}
	s, ok := knownString(args[0])
	if !ok {
		return nil
	}
	if err := checkDecodeInput(name, s); err != nil {
		b.report(b.at, "decoder input beyond the limits", fmt.Sprintf("the text given to %s: %s; its result is unknown", name, err))
		return errBudget
	}
	return nil
}

// formatWidths sums the widths and precisions written in a format string
// (%10s, %.5f): padding the result can add that much.
func formatWidths(f string) int64 {
	var total int64
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		var n int64
		for i++; i < len(f) && strings.IndexByte("0123456789.-+# ", f[i]) >= 0; i++ {
			if f[i] >= '0' && f[i] <= '9' {
				n = min(n*10+int64(f[i]-'0'), 1<<40)
			} else {
				total += n
				n = 0
			}
		}
		total += n
	}
	return total
}

// capDiagnostics keeps at most MaxDiagnosticsPerFile diagnostics per file
// (in order) and one error per file that had more, with the count (the
// counts of earlier caps, in a file's parse and in each reading, added).
func capDiagnostics(ds []graph.Diagnostic) []graph.Diagnostic {
	count := map[string]int{}
	extra := map[string]int{}
	at := map[string]graph.Pos{}
	out := ds[:0:0]
	var files []string
	for _, d := range ds {
		f := d.Range.File
		if d.Summary == tooManySummary {
			var n int
			if _, err := fmt.Sscanf(d.Detail, "%d more", &n); err == nil {
				if _, seen := at[f]; !seen {
					files = append(files, f)
					at[f] = d.Range.Start
				}
				extra[f] += n
				continue
			}
		}
		if count[f]++; count[f] <= MaxDiagnosticsPerFile {
			out = append(out, d)
			continue
		}
		extra[f]++
		if _, seen := at[f]; !seen {
			files = append(files, f)
			at[f] = d.Range.Start
		}
	}
	for _, f := range files {
		out = append(out, tooMany(f, at[f], extra[f]))
	}
	return out
}

// capHCLDiagnostics is capDiagnostics for the diagnostics of one file's
// parse, before they are converted.
func capHCLDiagnostics(name string, ds hcl.Diagnostics) hcl.Diagnostics {
	if len(ds) <= MaxDiagnosticsPerFile {
		return ds
	}
	extra := len(ds) - MaxDiagnosticsPerFile
	at := hcl.Range{Filename: name}
	if s := ds[MaxDiagnosticsPerFile].Subject; s != nil {
		at = hcl.Range{Filename: s.Filename, Start: s.Start, End: s.Start}
	}
	out := append(hcl.Diagnostics{}, ds[:MaxDiagnosticsPerFile]...)
	d := tooMany(name, graph.Pos{}, extra)
	return append(out, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: d.Summary, Detail: d.Detail, Subject: &at})
}

// refusedByBudget reports whether d is hcl's diagnostic for a function call
// that the budget refused: the budget reported that itself.
func refusedByBudget(d *hcl.Diagnostic) bool {
	x, ok := d.Extra.(hclsyntax.FunctionCallDiagExtra)
	return ok && errors.Is(x.FunctionCallError(), errBudget)
}

// parseSource parses a configuration or variables file after checking it
// (nesting, tokens, invalid characters), meters what it parsed, and caps
// its diagnostics. Parsing takes a few hundred bytes per token while it
// runs: files are parsed in parallel only while the tokens being parsed
// stay under MaxFileTokens, process-wide.
func parseSource(name string, src []byte, isJSON bool) (*hcl.File, hcl.Diagnostics) {
	var p *sourceProblem
	var tokens int
	if isJSON {
		p, tokens = checkJSON(src)
	} else {
		p, tokens = checkConfig(src)
	}
	if p != nil {
		return nil, hcl.Diagnostics{sourceDiagnostic(name, src, p)}
	}
	parsing.acquire(tokens)
	defer parsing.release(tokens)
	var f *hcl.File
	var diags hcl.Diagnostics
	if isJSON {
		f, diags = hcljson.Parse(src, name)
	} else {
		f, diags = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	}
	if f != nil {
		if b, ok := f.Body.(*hclsyntax.Body); ok {
			meter(b)
		}
	}
	return f, capHCLDiagnostics(name, diags)
}

// parsing bounds the tokens being parsed at once, process-wide.
var parsing = &weighted{size: MaxFileTokens}

// weighted is a semaphore of size units; a request larger than size waits
// for all of them.
type weighted struct {
	mu   sync.Mutex
	cond *sync.Cond
	size int
	used int
}

func (w *weighted) acquire(n int) {
	n = min(n, w.size)
	w.mu.Lock()
	if w.cond == nil {
		w.cond = sync.NewCond(&w.mu)
	}
	for w.used+n > w.size {
		w.cond.Wait()
	}
	w.used += n
	w.mu.Unlock()
}

func (w *weighted) release(n int) {
	n = min(n, w.size)
	w.mu.Lock()
	w.used -= n
	w.cond.Broadcast()
	w.mu.Unlock()
}

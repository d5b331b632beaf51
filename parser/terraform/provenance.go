package terraform

import (
	"fmt"
	"iter"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Provenance per element. Every literal written where a value starts its
// way to a resource (a local, a module argument, a variable default, an
// output, a for_each, a variables file) carries a literalMark of its own:
// marks travel with values through expressions and functions, so the
// element of a list, the attribute of an object and the entry of a map each
// know the line where they were written, through for expressions,
// for_each, module arguments and outputs. The whole-value marks of
// variables and module arguments (originMark) are the hops in between.

// literalSite is what a literal belongs to: shared by the literals of one
// top-level expression.
type literalSite struct {
	cfg  *configID // nil for a variables file (the root's)
	kind string    // graph.Origin* kind
	desc string
}

// configID names a module's configuration in the marks of its literals:
// marks live as long as the values of a graph, which must not keep the
// parsed configuration (its syntax trees, the cache) alive.
type configID struct {
	dir string
}

// literalMark is the cty mark of one literal: a string (with its quotes),
// a number or a bool.
type literalMark struct {
	site *literalSite
	rng  graph.Range // converted when marked: the positions are not kept
	text string      // the value written, as text
	item *entryItem  // the object item or tuple element it is written in, nil at the top
}

// entryItem is an item of an object constructor (key = value) or an
// element of a tuple constructor that holds literals: the chain of them
// from a literal up says which entry of a written map the literal is in,
// so that a for_each instance made from that entry points at its key.
type entryItem struct {
	key   string      // the item's key as written; "" for a tuple element or a computed key
	keyed bool        // an object item with a key known from the syntax
	rng   graph.Range // the key (an object item) or the element (a tuple)
	up    *entryItem
}

// passThrough names, for the functions whose result holds their arguments'
// values (not values computed from them), which arguments do: nil for all.
var passThrough = map[string][]int{
	"merge": nil, "concat": nil, "flatten": nil, "try": nil, "coalesce": nil, "coalescelist": nil,
	"tolist": nil, "toset": nil, "tomap": nil, "compact": nil, "distinct": nil, "setunion": nil,
	"reverse": nil, "sort": nil, "values": nil, "one": nil, "setintersection": nil,
	"element": {0}, "lookup": {0, 2}, "split": {1}, "zipmap": {1}, "slice": {0}, "chunklist": {0},
	"setsubtract": {0},
}

// markLiterals marks every literal in a value position of expr (an element
// of a list, the value of an object item, a branch of a conditional, an
// argument of a function that passes it on) with its own literalMark.
// Keys, conditions, indexes and the operands of operators are not values
// that reach a resource. It changes the syntax tree in place: call it once,
// when the tree is built.
func markLiterals(expr hcl.Expression, site *literalSite, pos *positions) {
	var walk func(x hclsyntax.Expression, in *entryItem)
	walk = func(x hclsyntax.Expression, in *entryItem) {
		switch x := x.(type) {
		case *hclsyntax.LiteralValueExpr:
			markLiteral(x, pos.rng(x.SrcRange), site, in)
		case *hclsyntax.TemplateExpr:
			if len(x.Parts) == 1 {
				if lit, ok := x.Parts[0].(*hclsyntax.LiteralValueExpr); ok {
					markLiteral(lit, pos.rng(x.SrcRange), site, in)
				}
			}
		case *hclsyntax.TemplateWrapExpr:
			walk(x.Wrapped, in)
		case *hclsyntax.ParenthesesExpr:
			walk(x.Expression, in)
		case *metered: // the budget's wrapper (see meter)
			walk(x.Expression, in)
		case *hclsyntax.TupleConsExpr:
			for _, el := range x.Exprs {
				walk(el, &entryItem{rng: pos.rng(el.Range()), up: in})
			}
		case *hclsyntax.ObjectConsExpr:
			for _, it := range x.Items {
				e := &entryItem{rng: pos.rng(it.KeyExpr.Range()), up: in}
				if k, diags := it.KeyExpr.Value(nil); !diags.HasErrors() && k.Type() == cty.String && k.IsKnown() && !k.IsNull() && !k.IsMarked() {
					e.key, e.keyed = k.AsString(), true
				}
				walk(it.ValueExpr, e)
			}
		case *hclsyntax.ConditionalExpr:
			walk(x.TrueResult, in)
			walk(x.FalseResult, in)
		case *hclsyntax.ForExpr:
			// The for expression builds a value of its own: where its
			// literals stand in it is not where they were written.
			walk(x.CollExpr, in)
			walk(x.ValExpr, nil)
		case *hclsyntax.FunctionCallExpr:
			which, ok := passThrough[x.Name]
			if !ok {
				return
			}
			for i, a := range x.Args {
				if which == nil || slices.Contains(which, i) {
					walk(a, in)
				}
			}
		}
	}
	if se, ok := expr.(hclsyntax.Expression); ok {
		walk(se, nil)
	}
}

func markLiteral(lit *hclsyntax.LiteralValueExpr, rng graph.Range, site *literalSite, in *entryItem) {
	v := lit.Val
	if v.IsMarked() || !v.IsKnown() || v.IsNull() {
		return
	}
	if ty := v.Type(); ty != cty.String && ty != cty.Number && ty != cty.Bool {
		return
	}
	lit.Val = v.Mark(&literalMark{site: site, rng: rng, text: scalars(v), item: in}) // a pointer: cheap to hash
}

// markConfigLiterals marks the literals of a module's locals, module
// arguments, variable defaults, outputs and for_each expressions.
func (m *moduleConfig) markConfigLiterals() {
	for _, name := range sortedKeys(m.locals) {
		markLiterals(m.locals[name].Expr, &literalSite{cfg: m.id, kind: graph.OriginLocal,
			desc: fmt.Sprintf("value written in local.%s", name)}, m.pos)
	}
	for _, name := range sortedKeys(m.variables) {
		if vc := m.variables[name]; vc.def != nil {
			markLiterals(vc.def, &literalSite{cfg: m.id, kind: graph.OriginVariableDefault,
				desc: fmt.Sprintf("value written in the default of var.%s", name)}, m.pos)
		}
	}
	for _, name := range sortedKeys(m.outputs) {
		markLiterals(m.outputs[name].Expr, &literalSite{cfg: m.id, kind: graph.OriginOutput,
			desc: fmt.Sprintf("value written in output %q", name)}, m.pos)
	}
	for _, name := range sortedKeys(m.calls) {
		call := m.calls[name]
		for _, arg := range sortedKeys(call.args) {
			markLiterals(call.args[arg].Expr, &literalSite{cfg: m.id, kind: graph.OriginModuleArgument,
				desc: fmt.Sprintf("value written in argument %q of module %q", arg, name)}, m.pos)
		}
		if call.forEach != nil {
			markLiterals(call.forEach, &literalSite{cfg: m.id, kind: graph.OriginForEach,
				desc: fmt.Sprintf("value written in the for_each of module %q", name)}, m.pos)
		}
	}
	for _, rc := range m.resources {
		if rc.forEach != nil {
			markLiterals(rc.forEach, &literalSite{cfg: m.id, kind: graph.OriginForEach,
				desc: fmt.Sprintf("value written in the for_each of %s", rc.addr())}, m.pos)
		}
		if body, ok := rc.block.Body.(*hclsyntax.Body); ok {
			m.markDynamicLiterals(body, rc.addr())
		}
	}
}

// markDynamicLiterals marks the literals of the for_each of each dynamic
// block in a resource body (nested ones too): the elements a rule's blocks
// are made from, written in the resource itself.
func (m *moduleConfig) markDynamicLiterals(body *hclsyntax.Body, addr string) {
	for _, blk := range body.Blocks {
		if blk.Type == "dynamic" && len(blk.Labels) == 1 {
			if fe, ok := blk.Body.Attributes["for_each"]; ok {
				markLiterals(fe.Expr, &literalSite{cfg: m.id, kind: graph.OriginForEach,
					desc: fmt.Sprintf("value written in the for_each of dynamic %q of %s", blk.Labels[0], addr)}, m.pos)
			}
		}
		m.markDynamicLiterals(blk.Body, addr)
	}
}

// literalOrigin converts a literal's mark into the form of the other hops:
// its depth is that of the module instance that read its module first (a
// variables file is the root's), and it is external when that module was
// installed outside the repository.
func (st *resolver) literalOrigin(l *literalMark) *originMark {
	if m, ok := st.literals[l]; ok {
		return m
	}
	if st.literals == nil {
		st.literals = map[*literalMark]*originMark{}
	}
	r := l.rng
	m := &originMark{kind: l.site.kind, desc: l.site.desc, file: r.File,
		sl: r.Start.Line, sc: r.Start.Column, sb: r.Start.Byte,
		el: r.End.Line, ec: r.End.Column, eb: r.End.Byte, values: l.text, literal: true}
	if cfg := l.site.cfg; cfg != nil {
		m.depth = st.depthOf[cfg]
		m.external = !st.local[cfg]
	}
	st.literals[l] = m
	return m
}

// switchMark is the mark of the hops and literals that reached a value
// only as the condition of a conditional or of a for expression's if:
// they decided which value was taken (count = var.create ? 1 : 0,
// for_each = var.create ? var.rules : {}), they carried no part of it. The
// origins of a value leave them out; what decided an instance (decided)
// counts them. One switchMark holds all the provenance marks of one
// condition's value: a condition comparing a whole object (var.x != null)
// carries a mark for every literal in it, and cty copies a value's mark
// set at every operation, so a hundred marks on every value that a
// condition decided cost more than the rest of the evaluation.
type switchMark = *switchSet

// switchSet is the provenance marks (*originMark, *literalMark) of one
// condition's value, each once; never changed once made.
type switchSet struct {
	inner []any
	has   map[any]struct{} // inner as a set
}

// same reports whether the set holds exactly the marks of ms.
func (s *switchSet) same(ms []any) bool {
	if s == nil || len(s.inner) != len(ms) {
		return false
	}
	for _, m := range ms {
		if _, ok := s.has[m]; !ok {
			return false
		}
	}
	return true
}

// switchExpr wraps the condition of a conditional or of a for
// expression's if: its value's provenance marks become one switchMark.
// last is the switchMark it made last: a condition evaluated again with
// the same marks (in every instance, every iteration of a for expression)
// gives the same mark, which the values it decided then carry once.
type switchExpr struct {
	*hclsyntax.ParenthesesExpr
	last atomic.Pointer[switchSet]
}

func (s *switchExpr) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	v, diags := s.Expression.Value(ctx)
	if !v.IsMarked() {
		return v, diags
	}
	var prov []any
	for m := range cty.ValueMarksOfType[any](v) { // no copy of the marks
		switch m.(type) {
		case *originMark, *literalMark:
			prov = append(prov, m)
		}
	}
	if len(prov) == 0 {
		return v, diags
	}
	sw := s.last.Load()
	if !sw.same(prov) {
		sw = &switchSet{inner: prov, has: make(map[any]struct{}, len(prov))}
		for _, m := range prov {
			sw.has[m] = struct{}{}
		}
		s.last.Store(sw)
	}
	u, marks := v.Unmark() // marks is a copy: ours to change
	for _, m := range prov {
		delete(marks, m)
	}
	marks[sw] = struct{}{}
	return u.WithMarks(marks), diags
}

// wrapSwitch wraps a condition (see switchMark); meter calls it on every
// freshly parsed tree.
func wrapSwitch(x hclsyntax.Expression) hclsyntax.Expression {
	if _, done := x.(*switchExpr); done || x == nil {
		return x
	}
	return &switchExpr{ParenthesesExpr: &hclsyntax.ParenthesesExpr{Expression: x, SrcRange: x.Range()}}
}

// entryOrigin returns, for a literal at a path of the given length inside
// a for_each element, the key of the map entry that the element is (as
// written: "ssh = {" of the caller's map), when the entry's key is the
// instance's key; else nil. om is the literal's origin.
func (st *resolver) entryOrigin(l *literalMark, depth int, key string, om originMark) *originMark {
	it := l.item
	for i := 0; i < depth && it != nil; i++ {
		it = it.up
	}
	if it == nil || !it.keyed || it.key != key {
		return nil
	}
	r := it.rng
	om.file, om.sl, om.sc, om.sb, om.el, om.ec, om.eb = r.File, r.Start.Line, r.Start.Column, r.Start.Byte, r.End.Line, r.End.Column, r.End.Byte
	om.desc = fmt.Sprintf("entry %q ", key) + strings.TrimPrefix(om.desc, "value ")
	om.values = key
	return &om
}

// resolver turns the marks of a resource's value into its origins and
// what decided it, when a finding first asks (graph.Resource.SetProvenance):
// most resources have no finding. It keeps what that needs of the load,
// and nothing of the evaluators or the parsed configuration (the marks
// name a module by its configID and hold their ranges converted): the
// depth and place of each module, and the origins converted so far,
// shared by the resources of one tree, which a policy engine may locate
// at once.
type resolver struct {
	mu        sync.Mutex
	depthOf   map[*configID]int            // the least depth of a module instance reading it (the root's: 0)
	local     map[*configID]bool           // read by a module instance in the repository (not remote)
	literals  map[*literalMark]*originMark // literalOrigin, memoised
	converted map[*originMark]graph.Origin // originOf, memoised
}

// decidingFrom is the value that decided one instance (instance.from) and
// the module instance it was evaluated in.
type decidingFrom struct {
	from  cty.Value
	key   cty.Value // the instance's key
	depth int
	cfg   *configID
}

// decidingFroms lists the values that decided instance in: its own, then
// those of the module calls that created its module instance.
func (e *evaluator) decidingFroms(in instance) []decidingFrom {
	var out []decidingFrom
	if in.from != cty.NilVal {
		out = append(out, decidingFrom{in.from, in.key, e.depth, e.cfg.id})
	}
	for ev := e; ev.parent != nil; ev = ev.parent {
		if ev.callFrom != cty.NilVal {
			out = append(out, decidingFrom{ev.callFrom, ev.callKey, ev.parent.depth, ev.parent.cfg.id})
		}
	}
	return out
}

// decided returns the hops that decided an instance, for a finding about
// the resource rather than a value: the entry of a for_each (its first
// literal, then how it came), the value that turned count on; then those
// of the module calls that created the module instance. Only hops written
// upstream count: in a calling module, in a variables file or on the
// command line, or (for_each) the entry itself; a module's own defaults
// decide nothing a user of the module changes.
func (st *resolver) decided(froms []decidingFrom) []graph.Origin {
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []graph.Origin
	for _, f := range froms {
		out = append(out, st.decidingHops(f, f.depth, f.cfg)...)
	}
	return out
}

// decidingHops orders the marks of one instance's deciding value (see
// decided), evaluated at depth in module cfg: the first literal (the
// for_each entry, the argument that turned count on), then the other hops
// by depth. Only hops written upstream count, or (for_each) a literal
// inside the entry; the literals a function gathered on the whole value
// are not places of their own.
func (st *resolver) decidingHops(f decidingFrom, depth int, cfg *configID) []graph.Origin {
	if f.from == cty.NilVal {
		return nil
	}
	_, pvms := f.from.UnmarkDeepWithPaths()
	var key string
	if k, _ := f.key.Unmark(); k != cty.NilVal && k.Type() == cty.String && k.IsKnown() && !k.IsNull() {
		key = k.AsString()
	}
	var entry, switched, keyed *originMark
	var hops []originMark
	seen := map[originMark]bool{}
	for _, pvm := range pvms {
		for mk, isSwitch := range provenanceMarks(pvm.Marks) {
			var om originMark
			var upstream bool
			switch x := mk.(type) {
			case *originMark:
				om = *x
				// A module's own default decides nothing its caller
				// changes; the root's defaults are the repository's.
				upstream = om.depth < depth && (om.kind != graph.OriginVariableDefault || om.depth == 0)
			case *literalMark:
				om = *st.literalOrigin(x)
				upstream = x.site.cfg != cfg // written in another module (a caller), or a variables file
			default:
				continue
			}
			upstream = upstream || om.kind == graph.OriginVarsFile ||
				om.kind == graph.OriginCommandLine || om.kind == graph.OriginEnvironment
			if om.literal {
				// A literal in the entry is where the entry is; a
				// switch (create = true) is, when no entry was written.
				at := &entry
				if isSwitch {
					at = &switched
				}
				if (upstream || len(pvm.Path) > 0) && (*at == nil || om.file < (*at).file || om.file == (*at).file && om.sb < (*at).sb) {
					c := om
					*at = &c
				}
				if lm, ok := mk.(*literalMark); ok && !isSwitch && keyed == nil && key != "" {
					keyed = st.entryOrigin(lm, len(pvm.Path), key, om)
				}
				continue
			}
			if !upstream || seen[om] {
				continue
			}
			seen[om] = true
			hops = append(hops, om)
		}
	}
	sort.Slice(hops, func(i, j int) bool { return markLess(hops[i], hops[j]) })
	if keyed != nil {
		entry = keyed
	}
	if entry == nil {
		entry = switched
	}
	var out []graph.Origin
	if entry != nil {
		entry.desc = "decides that the resource exists: " + entry.desc
		out = append(out, entry.origin())
	}
	for _, h := range hops {
		out = append(out, h.origin())
	}
	return out
}

// provenanceMarks yields the marks of a set, and those inside its
// switchMarks with true.
func provenanceMarks(ms cty.ValueMarks) iter.Seq2[any, bool] {
	return func(yield func(any, bool) bool) {
		for m := range ms {
			if sw, ok := m.(switchMark); ok {
				for _, in := range sw.inner {
					if !yield(in, true) {
						return
					}
				}
				continue
			}
			if !yield(m, false) {
				return
			}
		}
	}
}

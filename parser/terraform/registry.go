package terraform

import (
	"fmt"
	"math/big"
	"net/url"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Modules of the public registry that Portcullis understands without
// terraform init. A pull-request check rarely installs modules, so a call
// of terraform-aws-modules/security-group/aws would hide every rule it
// creates. For the most used modules, the resources the module would
// create are built from the call's arguments, as data: the graph holds
// them at the addresses Terraform gives them (module.sg.aws_security_group_rule.ingress_rules[0]),
// with the values the module's code would compute, unknown where an input
// is, and every attribute's range at the argument of the module block that
// set it (the element of ingress_cidr_blocks, the entry of
// ingress_with_cidr_blocks), or at the module block when the value is the
// module's default. Rules apply to them unchanged. An installed module
// (modules.json) is always evaluated from its code instead.
//
// Only the parts of each module that matter to security rules are built
// (see docs/registry-modules.md); the module's outputs stay unknown, but a
// reference to one is an edge to the resource it comes from.

// registryKind names a module Portcullis understands.
type registryKind int

const (
	registrySecurityGroup registryKind = iota + 1
	registryVPC
)

// registrySource is a recognised module source.
type registrySource struct {
	kind registryKind
	// preset is the security-group preset of a //modules/<name> source
	// ("ssh", "http-80"); empty for the module itself.
	preset string
	// ref is the git reference of a git source (?ref=v5.1.0).
	ref string
}

// registryAddresses maps the registry address (namespace/name/provider,
// lower case) and the GitHub repository of each module to its kind.
var registryAddresses = map[string]registryKind{
	"terraform-aws-modules/security-group/aws":                      registrySecurityGroup,
	"terraform-aws-modules/vpc/aws":                                 registryVPC,
	"github.com/terraform-aws-modules/terraform-aws-security-group": registrySecurityGroup,
	"github.com/terraform-aws-modules/terraform-aws-vpc":            registryVPC,
}

// parseRegistrySource recognises the source of a module call:
//
//	terraform-aws-modules/security-group/aws
//	registry.terraform.io/terraform-aws-modules/security-group/aws//modules/ssh
//	git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git?ref=v5.8.1
//	github.com/terraform-aws-modules/terraform-aws-vpc
//	git@github.com:terraform-aws-modules/terraform-aws-vpc.git
//
// (registry addresses are not case sensitive). The security-group module
// is also recognised with a //modules/<preset> suffix naming one of its
// presets.
func parseRegistrySource(source string) (registrySource, bool) {
	s := strings.TrimSpace(source)
	ref := ""
	if i := strings.IndexByte(s, '?'); i >= 0 {
		q, err := url.ParseQuery(s[i+1:])
		if err != nil {
			return registrySource{}, false
		}
		ref, s = q.Get("ref"), s[:i]
	}
	s = strings.ToLower(s)
	git := false
	if rest, ok := strings.CutPrefix(s, "git::"); ok {
		s, git = rest, true
	}
	for _, scheme := range []string{"https://", "ssh://git@", "ssh://"} {
		if rest, ok := strings.CutPrefix(s, scheme); ok {
			if !git {
				return registrySource{}, false // a plain URL is an archive
			}
			s = rest
			break
		}
	}
	if rest, ok := strings.CutPrefix(s, "git@github.com:"); ok {
		s, git = "github.com/"+rest, true
	}
	if strings.HasPrefix(s, "github.com/") {
		git = true // Terraform's GitHub shorthand is a git source
	}
	subdir := ""
	if i := strings.Index(s, "//"); i >= 0 {
		s, subdir = s[:i], strings.Trim(s[i+2:], "/")
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git")
	switch {
	case git && !strings.HasPrefix(s, "github.com/"):
		return registrySource{}, false
	case !git && ref != "":
		return registrySource{}, false // a registry address takes no query
	case !git:
		s = strings.TrimPrefix(s, "registry.terraform.io/")
	}
	kind, ok := registryAddresses[s]
	if !ok {
		return registrySource{}, false
	}
	out := registrySource{kind: kind, ref: ref}
	if subdir == "" {
		return out, true
	}
	preset, ok := strings.CutPrefix(subdir, "modules/")
	if _, known := sgPresets[preset]; !ok || kind != registrySecurityGroup || !known {
		return registrySource{}, false
	}
	out.preset = preset
	return out, true
}

// maxMajor returns the highest major version a version constraint
// ("~> 3.0", "3.19.0", ">= 2.0, < 4.0") or a git reference ("v3.19.0")
// admits; 0 when it admits every later version (Terraform installs the
// newest) or cannot be read.
func maxMajor(constraint string) int {
	best := 0
	for _, part := range strings.Split(constraint, ",") {
		p := strings.TrimSpace(part)
		op := ""
		for _, o := range []string{"~>", ">=", "<=", "!=", "=", ">", "<"} {
			if rest, ok := strings.CutPrefix(p, o); ok {
				op, p = o, strings.TrimSpace(rest)
				break
			}
		}
		p = strings.TrimPrefix(p, "v")
		if i := strings.IndexAny(p, "-+"); i >= 0 {
			p = p[:i]
		}
		nums := strings.Split(p, ".")
		major, err := strconv.Atoi(nums[0])
		if err != nil || major < 0 {
			continue
		}
		bound := major
		switch op {
		case "", "=", "<=":
		case "~>":
			if len(nums) == 1 {
				continue // ~> 3 admits every later version
			}
		case "<":
			if strings.Trim(strings.Join(nums[1:], ""), "0") == "" && major > 0 {
				bound = major - 1 // < 4.0 is at most 3.x
			}
		default:
			continue // >=, >, != set no upper bound
		}
		if bound > 0 && (best == 0 || bound < best) {
			best = bound
		}
	}
	return best
}

// understood returns the recognised source of a call of a module
// Portcullis knows that is not installed; false otherwise.
func (e *evaluator) understood(call *moduleCall) (registrySource, bool) {
	if call == nil || call.source == "" || isLocalSource(call.source) {
		return registrySource{}, false
	}
	src, ok := parseRegistrySource(call.source)
	if !ok {
		return src, false
	}
	if _, installed := e.installed(call); installed {
		return src, false
	}
	return src, true
}

// registryNote is the diagnostic of a call understood without its code:
// a note, which never fails the scan.
func (e *evaluator) registryNote(call *moduleCall) {
	e.diag(graph.SeverityNote, "module not installed, understood from its inputs",
		fmt.Sprintf("module %q (source %q) is not installed; Portcullis knows this module and scans the resources it creates from the module block's arguments (see docs/registry-modules.md). Its outputs are unknown. Run terraform init to scan the module's own code instead", call.name, call.source),
		call.block.DefRange)
}

// registryResources materialises the resources of every instance of a
// module call that Portcullis understands without its code.
func (e *evaluator) registryResources(name string) []*graph.Resource {
	call := e.cfg.calls[name]
	if _, ok := e.understood(call); !ok {
		return nil
	}
	var out []*graph.Resource
	for _, in := range e.callInstances(call) {
		if p := e.registryPlan(call, in); p != nil {
			for _, r := range p.res {
				out = append(out, p.materialise(r))
			}
		}
	}
	return out
}

// registryOutputRefs records the edges of a reference to output out of a
// call understood without its code (every instance of the call, or the
// one of key when it is known): to the resources the output comes from.
// It reports whether name is such a call.
func (e *evaluator) registryOutputRefs(name string, key cty.Value, out string, at hcl.Range, path string, rec *recorder) bool {
	call := e.cfg.calls[name]
	if _, ok := e.understood(call); !ok {
		return false
	}
	rg := e.st.pos.rng(at)
	for _, in := range e.callInstances(call) {
		if key != cty.NilVal && key.IsKnown() && !key.IsNull() && !in.unknown &&
			instanceAddr("module."+name, in) != instanceAddr("module."+name, instance{key: key}) {
			continue
		}
		p := e.registryPlan(call, in)
		if p == nil {
			continue
		}
		for _, t := range p.outputs[out] {
			rec.res.Refs = append(rec.res.Refs, graph.Ref{Attribute: path, Target: p.address(t.res), TargetAttribute: t.attr, Range: rg})
		}
	}
	return true
}

// registryPlan builds (once) the resources of one instance of a call
// understood without its code; nil when the instance is not evaluated.
func (e *evaluator) registryPlan(call *moduleCall, in instance) *regPlan {
	if in.dropped {
		return nil // past the instance budget, reported where it was reached
	}
	src, ok := e.understood(call)
	if !ok {
		return nil
	}
	addr := e.prefixed(instanceAddr("module."+call.name, in))
	if p, ok := e.st.registry[addr]; ok {
		return p
	}
	if e.st.registry == nil {
		e.st.registry = map[string]*regPlan{}
	}
	rc := &regCall{e: e, call: call, in: in, src: src, path: addr, header: call.block.DefRange}
	rc.major = maxMajor(src.ref)
	if v := moduleVersion(call); v != "" {
		rc.major = maxMajor(v)
	}
	p := &regPlan{rc: rc, outputs: map[string][]regTarget{}}
	e.st.registry[addr] = p
	rc.plan = p
	switch src.kind {
	case registrySecurityGroup:
		buildSecurityGroup(rc)
	case registryVPC:
		buildVPC(rc)
	}
	return p
}

// moduleVersion returns the version argument of a module call, if it is
// a literal string.
func moduleVersion(call *moduleCall) string {
	content, _, _ := call.block.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "version"}}})
	if content == nil {
		return ""
	}
	a, ok := content.Attributes["version"]
	if !ok {
		return ""
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return ""
	}
	return v.AsString()
}

// regPlan is what one instance of a call understood without its code
// creates.
type regPlan struct {
	rc  *regCall
	res []*regRes
	// outputs maps an output of the module to the resources it comes from.
	outputs map[string][]regTarget
}

// regTarget is the resource (and attribute) an output comes from.
type regTarget struct {
	res  *regRes
	attr string
}

// regCall is one instance of a call understood without its code: the
// caller's evaluator and scope, and the module's inputs.
type regCall struct {
	e      *evaluator
	call   *moduleCall
	in     instance
	src    registrySource
	major  int       // highest major version of the module the call admits; 0 for the newest
	path   string    // module path of the resources (module.sg, module.ssh.module.sg)
	header hcl.Range // the module block's header
	plan   *regPlan
}

// regVar declares an input variable of a module: its type and default
// (cty.NilVal when it is required).
type regVar struct {
	typ cty.Type
	def cty.Value
}

// regSrc is where a value was written: an argument of the module block
// and the steps into its literal value (element indexes, object keys), or
// the module block itself (arg "") for the module's defaults.
type regSrc struct {
	arg  string
	path []any
	// part is a comma-separated part of a string value (the module
	// splits "0.0.0.0/0,10.0.0.0/8"): its byte offset and length in the
	// string's text.
	part *[2]int
}

// header is the source of a value the module sets itself.
var header = regSrc{}

// at is the source of an element (int) or object key (string) of s.
func (s regSrc) at(step any) regSrc {
	if s.arg == "" {
		return s
	}
	return regSrc{arg: s.arg, path: append(append([]any{}, s.path...), step)}
}

// regInput is the value of an input variable for one call instance.
type regInput struct {
	v   cty.Value // converted to the variable's type, with its marks
	src regSrc
	// items are the elements of a known list, each with its source and
	// with the list's own marks; nil when the value is not a known list.
	items []regItem
	known bool // items holds the whole list
}

// regItem is an element of a list input.
type regItem struct {
	v   cty.Value
	src regSrc
}

// bind evaluates the inputs of the module: each declared variable from
// the argument of the same name (converted to its type) or its default.
// Arguments the declarations do not name are ignored: the module's other
// features are not built.
func (rc *regCall) bind(decls map[string]regVar) map[string]regInput {
	e := rc.e
	out := make(map[string]regInput, len(decls))
	for _, name := range sortedKeys(decls) {
		d := decls[name]
		a, given := rc.call.args[name]
		switch {
		case given:
			v := e.evalStructure(a.Expr, rc.in.scope)
			cv, err := convert.Convert(v, d.typ)
			if err != nil {
				detail := fmt.Sprintf("module %q: argument %q: %s; its value is unknown", rc.call.name, name, err)
				if hasSensitive(v) {
					detail = fmt.Sprintf("module %q: the value of argument %q is not valid for its type; it is sensitive and is not shown. Its value is unknown", rc.call.name, name)
				}
				e.diag(graph.SeverityWarning, "invalid value for module argument", detail, a.Expr.Range())
				_, marks := v.UnmarkDeep()
				cv = cty.UnknownVal(d.typ).WithMarks(marks)
			}
			out[name] = rc.input(cv, regSrc{arg: name})
		case d.def == cty.NilVal:
			e.diag(graph.SeverityWarning, "missing required argument",
				fmt.Sprintf("module %q does not set the required variable %q; its value is unknown", rc.call.name, name), rc.header)
			out[name] = rc.input(cty.UnknownVal(d.typ), header)
		default:
			out[name] = rc.input(d.def, header)
		}
	}
	return out
}

// input wraps a value with its source, and lists its elements when it is
// a known list.
func (rc *regCall) input(v cty.Value, src regSrc) regInput {
	in := regInput{v: v, src: src}
	u, marks := v.Unmark()
	if !u.IsKnown() || u.IsNull() || !isList(u.Type()) {
		return in
	}
	in.known = true
	i := 0
	for it := u.ElementIterator(); it.Next(); i++ {
		_, ev := it.Element()
		in.items = append(in.items, regItem{v: ev.WithMarks(marks), src: src.at(i)})
	}
	return in
}

// evalStructure evaluates expr as eval does, but a literal tuple or object
// element by element: a sensitive element marks itself, not the list (the
// number of elements written in the file tells nothing of it).
func (e *evaluator) evalStructure(expr hcl.Expression, sc *scope) cty.Value {
	switch x := expr.(type) {
	case *hclsyntax.TupleConsExpr:
		vals := make([]cty.Value, len(x.Exprs))
		for i, el := range x.Exprs {
			vals[i] = e.evalStructure(el, sc)
		}
		return cty.TupleVal(vals)
	case *hclsyntax.ObjectConsExpr:
		obj := make(map[string]cty.Value, len(x.Items))
		for _, item := range x.Items {
			k, diags := item.KeyExpr.Value(nil)
			if diags.HasErrors() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
				return e.eval(expr, sc) // a computed key: evaluated whole
			}
			if _, dup := obj[k.AsString()]; dup {
				return e.eval(expr, sc) // hcl reports the duplicate
			}
			obj[k.AsString()] = e.evalStructure(item.ValueExpr, sc)
		}
		return cty.ObjectVal(obj)
	}
	return e.eval(expr, sc)
}

// expr returns the expression a source names: the argument, then each
// step into its literal tuples and objects. exact is false when a step
// could not be followed (the value is built by an expression); the
// expression is then the innermost one reached. nil for the module block.
func (rc *regCall) expr(s regSrc) (x hcl.Expression, exact bool) {
	if s.arg == "" {
		return nil, false
	}
	a, ok := rc.call.args[s.arg]
	if !ok {
		return nil, false
	}
	x = a.Expr
	for _, step := range s.path {
		next := subExpr(x, step)
		if next == nil {
			return x, false
		}
		x = next
	}
	return x, true
}

// subExpr returns element i (int) or the value of key k (string) of a
// literal tuple or object expression; nil otherwise.
func subExpr(x hcl.Expression, step any) hcl.Expression {
	switch s := step.(type) {
	case int:
		if !isLiteralList(x) {
			return nil
		}
		elems, diags := hcl.ExprList(x)
		if diags.HasErrors() || s < 0 || s >= len(elems) {
			return nil
		}
		return elems[s]
	case string:
		if !isLiteralMap(x) {
			return nil
		}
		pairs, diags := hcl.ExprMap(x)
		if diags.HasErrors() {
			return nil
		}
		for _, kv := range pairs {
			k, d := kv.Key.Value(nil)
			if !d.HasErrors() && k.IsKnown() && !k.IsNull() && k.Type() == cty.String && k.AsString() == s {
				return kv.Value
			}
		}
	}
	return nil
}

// rng is the range of the source of a value.
func (rc *regCall) rng(s regSrc) hcl.Range {
	x, exact := rc.expr(s)
	if x == nil {
		return rc.header
	}
	if exact && s.part != nil {
		if r, ok := rc.partRange(x, *s.part); ok {
			return r
		}
	}
	return x.Range()
}

// partRange is the range of a part of a literal string written without
// escapes or interpolation.
func (rc *regCall) partRange(x hcl.Expression, part [2]int) (hcl.Range, bool) {
	t, ok := x.(*hclsyntax.TemplateExpr)
	if !ok || len(t.Parts) != 1 {
		return hcl.Range{}, false
	}
	lit, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr)
	if !ok || lit.Val.Type() != cty.String || !lit.Val.IsKnown() {
		return hcl.Range{}, false
	}
	r := x.Range()
	src, ok := rc.e.st.pos.source(r.Filename)
	if !ok || r.Start.Byte < 0 || r.End.Byte > len(src) || r.End.Byte-r.Start.Byte < 2 {
		return hcl.Range{}, false
	}
	val, _ := lit.Val.Unmark()
	text := val.AsString()
	if string(src[r.Start.Byte+1:r.End.Byte-1]) != text || part[0]+part[1] > len(text) {
		return hcl.Range{}, false // escapes: the offsets in the value are not those in the file
	}
	start := r.Start.Byte + 1 + part[0]
	// Lines and columns are recomputed from bytes (positions.rng).
	return hcl.Range{Filename: r.Filename,
		Start: hcl.Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: start},
		End:   hcl.Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: start + part[1]}}, true
}

// item returns the element of a list input for a resource instance: the
// element at its index, or an unknown element with the list's source for
// the representative instance of an unknown count (sensitive when the
// count is).
func (l regInput) item(in instance) regItem {
	if in.unknown || in.key == cty.NilVal || !in.key.IsKnown() {
		v := cty.DynamicVal
		if in.sensitive {
			v = v.Mark(sensitiveMark{})
		}
		return regItem{v: v, src: l.src}
	}
	i, _ := in.key.AsBigFloat().Int64()
	if !l.known || i < 0 || int(i) >= len(l.items) {
		return regItem{v: cty.DynamicVal, src: l.src} // Terraform: invalid index
	}
	return l.items[i]
}

// field returns key k of a map element (with the element's marks), and
// whether it is there. The field of an unknown element is unknown.
func field(it regItem, k string) (regItem, bool) {
	u, marks := it.v.Unmark()
	if !u.IsKnown() {
		return regItem{v: cty.DynamicVal.WithMarks(marks), src: it.src}, true
	}
	if u.IsNull() || !isMap(u.Type()) {
		return regItem{}, false
	}
	if u.Type().IsObjectType() {
		if !u.Type().HasAttribute(k) {
			return regItem{}, false
		}
		return regItem{v: u.GetAttr(k).WithMarks(marks), src: it.src.at(k)}, true
	}
	kv := cty.StringVal(k)
	if !u.HasIndex(kv).True() {
		return regItem{}, false
	}
	return regItem{v: u.Index(kv).WithMarks(marks), src: it.src.at(k)}, true
}

// lookup is Terraform's lookup(element, k, default).
func lookup(it regItem, k string, def cty.Value) regItem {
	if f, ok := field(it, k); ok {
		return f
	}
	return regItem{v: def, src: header}
}

// splitList is compact(split(",", s)) of a string item: the parts, each
// with its source, as a list marked like s. An unknown or null string
// gives an unknown list.
func splitList(it regItem) (cty.Value, []regSrc) {
	u, marks := it.v.Unmark()
	if !u.IsKnown() || u.IsNull() || u.Type() != cty.String {
		return cty.UnknownVal(cty.List(cty.String)).WithMarks(marks), nil
	}
	var vals []cty.Value
	var srcs []regSrc
	off := 0
	for _, p := range strings.Split(u.AsString(), ",") {
		if p != "" {
			s := it.src
			s.part = &[2]int{off, len(p)}
			vals = append(vals, cty.StringVal(p))
			srcs = append(srcs, s)
		}
		off += len(p) + 1
	}
	if len(vals) == 0 {
		return cty.ListValEmpty(cty.String).WithMarks(marks), nil
	}
	return cty.ListVal(vals).WithMarks(marks), srcs
}

// joinSplit is compact(split(",", join(",", list))): the parts of every
// element of a list input, each with its source.
func joinSplit(l regInput) (cty.Value, []regSrc) {
	_, lm := l.v.Unmark()
	if !l.known {
		return cty.UnknownVal(cty.List(cty.String)).WithMarks(lm), nil
	}
	marks := []cty.ValueMarks{lm}
	var vals []cty.Value
	var srcs []regSrc
	for _, it := range l.items {
		v, s := splitList(it)
		vu, vm := v.Unmark()
		marks = append(marks, vm)
		if !vu.IsKnown() {
			return cty.UnknownVal(cty.List(cty.String)).WithMarks(marks...), nil
		}
		vals = append(vals, vu.AsValueSlice()...)
		srcs = append(srcs, s...)
	}
	if len(vals) == 0 {
		return cty.ListValEmpty(cty.String).WithMarks(marks...), nil
	}
	return cty.ListVal(vals).WithMarks(marks...), srcs
}

// regCount is the count of a resource of the module.
type regCount struct {
	n      int
	known  bool
	secret bool      // derived from a sensitive value
	at     hcl.Range // where the value that decides it is written
}

func knownCount(n int) regCount { return regCount{n: n, known: true} }

// listCount is length(list).
func (rc *regCall) listCount(l regInput) regCount {
	c := regCount{at: rc.rng(l.src)}
	if _, marks := l.v.Unmark(); marks.Has(sensitiveMark{}) {
		c.secret = true
		return c
	}
	if l.known {
		c.n, c.known = len(l.items), true
	}
	return c
}

// numberCount is a count given as a number input.
func (rc *regCall) numberCount(in regInput) regCount {
	c := regCount{at: rc.rng(in.src)}
	u, marks := in.v.Unmark()
	switch {
	case marks.Has(sensitiveMark{}):
		c.secret = true
	case u.IsKnown() && !u.IsNull() && u.Type() == cty.Number:
		bf := u.AsBigFloat()
		if n, acc := bf.Int64(); acc == big.Exact && n >= 0 && n <= 1<<31 {
			c.n, c.known = int(n), true
		}
	}
	return c
}

// when is cond ? c : 0 for a condition input (a bool value and where it
// is written). A count known to be 0 stays 0 whatever the condition.
func (rc *regCall) when(cond cty.Value, at regSrc, c regCount) regCount {
	if c.known && c.n == 0 {
		return c
	}
	u, marks := cond.Unmark()
	switch {
	case marks.Has(sensitiveMark{}):
		return regCount{secret: true, at: rc.rng(at)}
	case !u.IsKnown() || u.IsNull() || u.Type() != cty.Bool:
		if c.secret {
			return c
		}
		return regCount{at: rc.rng(at)}
	case u.True():
		return c
	}
	return knownCount(0)
}

// instances expands a count as Terraform does (the instance budget
// applies): instances keyed 0..n-1; one representative instance ([*])
// when the count is unknown; one under the key "(sensitive)", with an
// error, when it is derived from a sensitive value.
func (rc *regCall) instances(c regCount) []instance {
	e := rc.e
	switch {
	case c.secret:
		rep := e.sensitiveCount(c.at)
		return e.admitted([]instance{rep}, c.at, rep)
	case !c.known:
		rep := instance{key: cty.UnknownVal(cty.Number), unknown: true}
		return e.admitted([]instance{rep}, c.at, rep)
	}
	insts := make([]instance, c.n)
	for i := range insts {
		insts[i] = instance{key: cty.NumberIntVal(int64(i))}
	}
	return e.admitted(insts, c.at, instance{key: cty.UnknownVal(cty.Number), unknown: true})
}

// and, or and not combine bool values as the module's conditions do; the
// result carries the marks of the operands it depends on. A known false
// (true for or) decides, whatever the other operand.
func and(vals ...cty.Value) cty.Value {
	return logic(vals, false)
}

func or(vals ...cty.Value) cty.Value {
	return logic(vals, true)
}

func logic(vals []cty.Value, decider bool) cty.Value {
	var marks []cty.ValueMarks
	unknown := false
	for _, v := range vals {
		u, m := v.Unmark()
		if !u.IsKnown() || u.IsNull() || u.Type() != cty.Bool {
			unknown = true
			marks = append(marks, m)
			continue
		}
		if u.True() == decider {
			return cty.BoolVal(decider).WithMarks(m)
		}
		marks = append(marks, m)
	}
	if unknown {
		return cty.UnknownVal(cty.Bool).WithMarks(marks...)
	}
	return cty.BoolVal(!decider).WithMarks(marks...)
}

func not(v cty.Value) cty.Value {
	u, m := v.Unmark()
	if !u.IsKnown() || u.IsNull() || u.Type() != cty.Bool {
		return cty.UnknownVal(cty.Bool).WithMarks(m)
	}
	return cty.BoolVal(!u.True()).WithMarks(m)
}

// cond is c ? a : b.
func cond(c, a, b cty.Value) cty.Value {
	u, m := c.Unmark()
	if !u.IsKnown() || u.IsNull() || u.Type() != cty.Bool {
		return cty.DynamicVal.WithMarks(m)
	}
	if u.True() {
		return a.WithMarks(m)
	}
	return b.WithMarks(m)
}

// isTrue and isFalse report a known condition.
func isTrue(v cty.Value) bool {
	u, _ := v.Unmark()
	return u.IsKnown() && !u.IsNull() && u.Type() == cty.Bool && u.True()
}

func isFalse(v cty.Value) bool {
	u, _ := v.Unmark()
	return u.IsKnown() && !u.IsNull() && u.Type() == cty.Bool && u.False()
}

// regRes is one resource instance the module creates.
type regRes struct {
	typ, name string
	in        instance
	attrs     map[string]cty.Value
	// srcs are where the values at attribute paths come from, in the
	// order set (the first range recorded for a path is kept).
	srcs []regPathSrc
	refs []regRef // edges to other resources of the module
	meta map[string]any
}

type regPathSrc struct {
	path string
	src  regSrc
}

// regRef is an edge from an attribute to another resource of the module.
type regRef struct {
	attr       string
	target     *regRes
	targetAttr string
}

// resource adds a resource instance to the plan.
func (rc *regCall) resource(typ, name string, in instance) *regRes {
	r := &regRes{typ: typ, name: name, in: in, attrs: map[string]cty.Value{}, meta: map[string]any{}}
	rc.plan.res = append(rc.plan.res, r)
	return r
}

// set sets an attribute to a value written at src.
func (r *regRes) set(attr string, v cty.Value, src regSrc) {
	r.attrs[attr] = v
	r.from(attr, src)
}

// from records where the value at an attribute path comes from.
func (r *regRes) from(path string, src regSrc) {
	r.srcs = append(r.srcs, regPathSrc{path: path, src: src})
}

// ref adds an edge from attr to each of targets.
func (r *regRes) ref(attr string, targetAttr string, targets ...*regRes) {
	for _, t := range targets {
		r.refs = append(r.refs, regRef{attr: attr, target: t, targetAttr: targetAttr})
	}
}

// output records the resources an output of the module comes from.
func (rc *regCall) output(name, attr string, targets ...*regRes) {
	for _, t := range targets {
		rc.plan.outputs[name] = append(rc.plan.outputs[name], regTarget{res: t, attr: attr})
	}
}

// address is the full address of a resource of the plan.
func (p *regPlan) address(r *regRes) string {
	return p.rc.path + "." + instanceAddr(r.typ+"."+r.name, r.in)
}

// materialise builds the graph resource: values, unknown and sensitive
// parts and origins from the values (as for any resource), ranges at the
// caller's arguments, edges to the module's other resources (at the
// module block) and the references the arguments make.
func (p *regPlan) materialise(r *regRes) *graph.Resource {
	rc, e := p.rc, p.rc.e
	hdr := e.st.pos.rng(rc.header)
	callers := append(append([]graph.Origin{}, e.callers...), graph.Origin{
		Kind:        graph.OriginModuleCall,
		Description: e.prefixed(instanceAddr("module."+rc.call.name, rc.in)) + " (source " + rc.call.source + ", understood without terraform init)",
		Range:       hdr, External: e.remote(),
	})
	res := &graph.Resource{
		Address:  p.address(r),
		Mode:     "managed",
		Type:     r.typ,
		Name:     r.name,
		Format:   graph.FormatTerraform,
		Module:   rc.path,
		Provider: providerOf(r.typ),
		Range:    hdr,
		Ranges:   map[string]graph.Range{"": hdr},
		Callers:  callers,
		Meta:     map[string]any{"expansion": "count", "registry_module": rc.call.source},
	}
	if r.in.unknown {
		res.Meta["expansion"] = "unknown"
	}
	for k, v := range r.meta {
		res.Meta[k] = v
	}
	rec := &recorder{res: res}
	for _, ps := range r.srcs {
		x, exact := rc.expr(ps.src)
		switch {
		case x == nil:
			rec.setRange(ps.path, hdr)
			continue
		case exact && ps.src.part == nil:
			e.recordRanges(x, ps.path, rec)
		default:
			rec.setRange(ps.path, e.st.pos.rng(rc.rng(ps.src)))
		}
		e.recordRefs(x, rc.in.scope, ps.path, rec, map[string]bool{})
	}
	for _, ref := range r.refs {
		res.Refs = append(res.Refs, graph.Ref{Attribute: ref.attr, Target: p.address(ref.target), TargetAttribute: ref.targetAttr, Range: hdr})
	}
	obj := cty.ObjectVal(r.attrs)
	pv := e.st.prov
	res.SetProvenance(func() (map[string][]graph.Origin, []graph.Origin) { return pv.origins(obj), nil })
	res.Values, res.Unknown, res.Sensitive = toTree(obj)
	return res
}

// isList reports whether a type is a list, tuple or set.
func isList(t cty.Type) bool { return t.IsListType() || t.IsTupleType() || t.IsSetType() }

// isMap reports whether a type is a map or an object.
func isMap(t cty.Type) bool { return t.IsMapType() || t.IsObjectType() }

// strList is a list of strings as a cty value.
func strList(ss ...string) cty.Value {
	if len(ss) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(ss))
	for i, s := range ss {
		vals[i] = cty.StringVal(s)
	}
	return cty.ListVal(vals)
}

// strMapList is a list of maps of strings as a cty value.
func strMapList(maps ...map[string]string) cty.Value {
	if len(maps) == 0 {
		return cty.ListValEmpty(cty.Map(cty.String))
	}
	vals := make([]cty.Value, len(maps))
	for i, m := range maps {
		mv := make(map[string]cty.Value, len(m))
		for k, s := range m {
			mv[k] = cty.StringVal(s)
		}
		vals[i] = cty.MapVal(mv)
	}
	return cty.ListVal(vals)
}

package cloudformation

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// pseudoParameters are CloudFormation's pseudo parameters other than
// AWS::NoValue. They are unknown unless given in Options.Parameters.
var pseudoParameters = map[string]bool{
	"AWS::AccountId":        true,
	"AWS::NotificationARNs": true,
	"AWS::Partition":        true,
	"AWS::Region":           true,
	"AWS::StackId":          true,
	"AWS::StackName":        true,
	"AWS::URLSuffix":        true,
}

// intrinsic reports whether n is an intrinsic function call: a mapping
// with the single key Ref or Fn::Name.
func intrinsic(n *Node) (fn string, arg *Node, ok bool) {
	if n == nil || n.Kind != Mapping || len(n.Keys) != 1 {
		return "", nil, false
	}
	k := n.Keys[0].Value
	if k == "Ref" || (strings.HasPrefix(k, "Fn::") && !strings.HasPrefix(k, forEachPrefix)) {
		return k, n.Values[0], true
	}
	return "", nil, false
}

// eval evaluates a template node: literals as written, intrinsic functions
// with three-valued logic. An error is reported as a diagnostic at the
// node and gives an unknown value. AWS::NoValue removes a mapping entry or
// a sequence element.
func (t *tmpl) eval(n *Node) *value {
	if n == nil {
		return &value{kind: vNull}
	}
	if !t.step(n.Range) {
		return unknownAt(n.Range)
	}
	if t.depth >= maxNodeDepth {
		t.noteDepth(n, fmt.Sprintf("values are nested more than %d levels deep; deeper values are unknown", maxNodeDepth))
		return unknownAt(n.Range)
	}
	t.depth++
	defer func() { t.depth-- }()
	if _, _, fn := intrinsic(n); !fn {
		// A literal: charged as the value it becomes (YAML aliases make
		// many values of one text).
		cost := valueOverhead + len(n.Value)
		for _, k := range n.Keys {
			cost += len(k.Value)
		}
		if !t.charge(cost, n.Range) {
			return unknownAt(n.Range)
		}
	}
	switch n.Kind {
	case Null:
		return &value{kind: vNull, rng: n.Range}
	case Bool:
		return &value{kind: vBool, text: strings.ToLower(n.Value), rng: n.Range}
	case Number:
		return numberValue(n.Value, n.Range)
	case String:
		return stringAt(n.Value, n.Range)
	case Sequence:
		// (Capacity grows with the elements, which the budget pays for.)
		v := &value{kind: vList, rng: n.Range, items: make([]*value, 0, min(len(n.Items), 64))}
		refusals := t.budget.refusals
		for _, it := range n.Items {
			iv := t.eval(it)
			if t.budget.refusals != refusals {
				return unknownAt(n.Range) // past the budget: the list being built is unknown
			}
			if iv.kind != vNoValue {
				v.items = append(v.items, iv)
			}
		}
		return v
	case Mapping:
		if fn, arg, ok := intrinsic(n); ok {
			return t.call(n, fn, arg)
		}
		m := &value{kind: vMap, rng: n.Range, fields: make(map[string]*value, min(len(n.Keys), 64))}
		refusals := t.budget.refusals
		for i, k := range n.Keys {
			if strings.HasPrefix(k.Value, forEachPrefix) {
				t.forEachProperties(k, n.Values[i], m)
				if t.budget.refusals != refusals {
					return unknownAt(n.Range)
				}
				continue
			}
			v := t.eval(n.Values[i])
			if t.budget.refusals != refusals {
				return unknownAt(n.Range) // past the budget: the mapping being built is unknown
			}
			if v.kind == vNoValue {
				continue
			}
			if _, dup := m.fields[k.Value]; !dup {
				m.keys = append(m.keys, k.Value)
			}
			m.fields[k.Value] = v
		}
		return m
	}
	return unknownAt(n.Range)
}

func (t *tmpl) noteDepth(n *Node, detail string) {
	if !t.depthNoted {
		t.depthNoted = true
		t.errorf(n.Range, "nested too deeply", detail)
	}
}

// enterFn counts one more level of intrinsic function nesting; false when
// the bound is reached (reported once).
func (t *tmpl) enterFn(n *Node) bool {
	if t.fnDepth >= maxFnDepth {
		t.noteDepth(n, fmt.Sprintf("intrinsic functions are nested more than %d levels deep; deeper calls are unknown", maxFnDepth))
		return false
	}
	t.fnDepth++
	return true
}

func (t *tmpl) leaveFn() { t.fnDepth-- }

// result completes the value an intrinsic function produced: located at
// the call, carrying the references, provenance and sensitivity of the
// values it was computed from.
func result(n *Node, out *value, inputs ...*value) *value {
	if out.rng.IsZero() {
		out.rng = n.Range
	}
	sensitive := false
	for _, in := range inputs {
		if in == nil {
			continue
		}
		out.links = in.allLinks(out.links)
		out.origins = in.allOrigins(out.origins)
		if in.anySensitive() {
			sensitive = true
		}
	}
	if sensitive {
		out = sensitiveCopy(out)
	}
	return out
}

// secret reports whether a value shown in a diagnostic would disclose a
// NoEcho parameter: whether one of the values is, or contains, a
// sensitive part.
func secret(vs ...*value) bool {
	for _, v := range vs {
		if v != nil && v.anySensitive() {
			return true
		}
	}
	return false
}

// shown is the text of a value for a diagnostic: "(sensitive)" when one of
// the values it comes from is sensitive.
func shown(text string, from ...*value) string {
	if secret(from...) {
		return graph.SensitivePlaceholder
	}
	return text
}

// fail reports an invalid call and returns an unknown value that keeps
// the references of its arguments.
func (t *tmpl) fail(n *Node, fn, detail string, inputs ...*value) *value {
	t.warnf(n.Range, "invalid "+fn, detail)
	return result(n, unknownAt(n.Range), inputs...)
}

func (t *tmpl) call(n *Node, fn string, arg *Node) *value {
	v := t.callFn(n, fn, arg)
	if fn == "Fn::If" {
		return v // the branch taken, as evaluated (and charged)
	}
	// A function's result is a new value as large as what it copied (a Ref
	// to a long list parameter, a FindInMap) or built: charge its size, so
	// that a small template repeating such calls cannot exhaust memory.
	if !t.charge(size(v, t.left()+1), n.Range) {
		return unknownAt(n.Range)
	}
	return v
}

// size counts the bytes of v as the budget does (MaxValueBytes), stopping
// at limit.
func size(v *value, limit int) int {
	if v == nil {
		return 0
	}
	n := valueOverhead + len(v.text)
	for _, it := range v.items {
		if n >= limit {
			return n
		}
		n += size(it, limit-n)
	}
	for _, k := range v.keys {
		if n >= limit {
			return n
		}
		n += len(k) + size(v.fields[k], limit-n-len(k))
	}
	return n
}

func (t *tmpl) callFn(n *Node, fn string, arg *Node) *value {
	if !t.enterFn(n) {
		return unknownAt(n.Range)
	}
	defer t.leaveFn()
	switch fn {
	case "Ref":
		return t.fnRef(n, arg)
	case "Fn::GetAtt":
		return t.fnGetAtt(n, arg)
	case "Fn::Sub":
		return t.fnSub(n, arg)
	case "Fn::Join":
		return t.fnJoin(n, arg)
	case "Fn::Select":
		return t.fnSelect(n, arg)
	case "Fn::Split":
		return t.fnSplit(n, arg)
	case "Fn::FindInMap":
		return t.fnFindInMap(n, arg)
	case "Fn::Base64":
		return t.fnBase64(n, arg)
	case "Fn::Cidr":
		return t.fnCidr(n, arg)
	case "Fn::GetAZs":
		// The Availability Zones of the region at deploy time.
		return result(n, unknownAt(n.Range), t.eval(arg))
	case "Fn::ImportValue":
		return t.fnImportValue(n, arg)
	case "Fn::If":
		return t.fnIf(n, arg)
	case "Fn::Length":
		return t.fnLength(n, arg)
	case "Fn::ToJsonString":
		return t.fnToJSONString(n, arg)
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		t.fnDepth-- // condExpr counts this call itself
		c, tainted := t.tainted(func() tri { return t.condExpr(n) })
		t.fnDepth++
		v := &value{kind: vUnknown, rng: n.Range, sensitive: tainted}
		if c != tUnknown {
			v.kind, v.text = vBool, strconv.FormatBool(c == tTrue)
		}
		return v
	case "Fn::Transform":
		// A macro (AWS::Include, a custom macro) runs at deploy time.
		return unknownAt(n.Range)
	}
	t.warnf(n.Range, "unknown intrinsic function", fn+" is not a CloudFormation intrinsic function; its value is unknown")
	return unknownAt(n.Range)
}

// args checks that arg is a sequence of between min and max elements.
func args(arg *Node, lo, hi int) ([]*Node, bool) {
	if arg == nil || arg.Kind != Sequence || len(arg.Items) < lo || len(arg.Items) > hi {
		return nil, false
	}
	return arg.Items, true
}

// nameArg evaluates an argument that names something: a string literal,
// or (with AWS::LanguageExtensions) an intrinsic giving a string.
func (t *tmpl) nameArg(n *Node) (name string, v *value, known bool) {
	if n != nil && n.Kind == String {
		return n.Value, nil, true
	}
	v = t.eval(n)
	if s, ok := v.scalarText(); ok {
		return s, v, true
	}
	return "", v, false
}

// fnRef evaluates Ref: a parameter's value, a pseudo parameter, or a
// resource (unknown, with a reference edge).
func (t *tmpl) fnRef(n, arg *Node) *value {
	name, in, ok := t.nameArg(arg)
	if !ok {
		if in != nil && in.kind == vUnknown {
			return result(n, unknownAt(n.Range), in)
		}
		return t.fail(n, "Ref", "Ref takes the name of a parameter, a resource or a pseudo parameter", in)
	}
	return result(n, t.resolveName(n, name, true, secret(in)), in)
}

// resolveName resolves a name used by Ref (asRef) or in Fn::Sub: a loop
// variable, a parameter, a pseudo parameter, or a resource. hidden is set
// when the name itself was computed from a NoEcho parameter: it is not
// shown in diagnostics.
func (t *tmpl) resolveName(n *Node, name string, asRef, hidden bool) *value {
	if v, ok := t.lookupVar(name); ok {
		return restamp(v, n.Range)
	}
	if p, ok := t.params[name]; ok {
		if p.val == nil {
			u := unknownAt(n.Range)
			u.sensitive = p.noEcho
			return u
		}
		// The copy is charged by the call; it is made only when the budget
		// can pay for it.
		if !t.afford(p.size, n.Range) {
			u := unknownAt(n.Range)
			u.sensitive = p.noEcho
			return u
		}
		return restamp(p.val, n.Range)
	}
	if name == "AWS::NoValue" {
		if !asRef {
			t.warnf(n.Range, "invalid Fn::Sub", "AWS::NoValue cannot be used in Fn::Sub")
			return unknownAt(n.Range)
		}
		return &value{kind: vNoValue, rng: n.Range}
	}
	if pseudoParameters[name] {
		s, ok := t.opts.Parameters[name]
		switch {
		case !ok:
			return unknownAt(n.Range)
		case name == "AWS::NotificationARNs":
			v := &value{kind: vList, rng: n.Range}
			for _, p := range strings.Split(s, ",") {
				v.items = append(v.items, stringAt(strings.TrimSpace(p), n.Range))
			}
			return v
		}
		return stringAt(s, n.Range)
	}
	if t.resourceIDs[name] {
		u := unknownAt(n.Range)
		u.links = []link{{target: name, attr: "Ref", rng: n.Range}}
		return u
	}
	if !asRef {
		if res, attr, ok := strings.Cut(name, "."); ok && t.resourceIDs[res] {
			u := unknownAt(n.Range)
			u.links = []link{{target: res, attr: attr, rng: n.Range}}
			return u
		}
	}
	if hidden {
		name = graph.SensitivePlaceholder
	}
	what := "Ref"
	if !asRef {
		what = "${" + name + "}"
	}
	t.warnf(n.Range, "undeclared reference",
		fmt.Sprintf("%s names %s, which is not a parameter, a resource or a pseudo parameter of this template", what, name))
	return unknownAt(n.Range)
}

// fnGetAtt evaluates Fn::GetAtt: unknown, with an edge to the resource.
func (t *tmpl) fnGetAtt(n, arg *Node) *value {
	const usage = "Fn::GetAtt takes [logical ID, attribute name] or \"LogicalID.AttributeName\""
	var res, attr string
	var inputs []*value
	switch {
	case arg != nil && arg.Kind == String:
		var ok bool
		if res, attr, ok = strings.Cut(arg.Value, "."); !ok || res == "" || attr == "" {
			return t.fail(n, "Fn::GetAtt", usage)
		}
	case arg != nil && arg.Kind == Sequence && len(arg.Items) == 2:
		r, rv, ok := t.nameArg(arg.Items[0])
		a, av, aok := t.nameArg(arg.Items[1])
		inputs = append(inputs, rv, av)
		if !ok {
			if rv.kind == vUnknown {
				return result(n, unknownAt(n.Range), inputs...)
			}
			return t.fail(n, "Fn::GetAtt", usage, inputs...)
		}
		if !aok && av.kind != vUnknown {
			return t.fail(n, "Fn::GetAtt", usage, inputs...)
		}
		res, attr = r, a
		if res == "" || (aok && attr == "") {
			return t.fail(n, "Fn::GetAtt", usage, inputs...)
		}
	default:
		return t.fail(n, "Fn::GetAtt", usage)
	}
	if !t.resourceIDs[res] {
		t.warnf(n.Range, "undeclared reference", fmt.Sprintf("Fn::GetAtt names %s, which is not a resource of this template", shown(res, inputs...)))
		return result(n, unknownAt(n.Range), inputs...)
	}
	u := unknownAt(n.Range)
	u.links = []link{{target: res, attr: attr, rng: n.Range}}
	return result(n, u, inputs...)
}

// subPart is a piece of an Fn::Sub string: literal text, or a variable.
type subPart struct {
	text  string
	isVar bool
}

// parseSub splits an Fn::Sub string into literal text and ${Name}
// variables; ${!Literal} writes ${Literal}. An unterminated ${ is text.
func parseSub(s string) []subPart {
	var parts []subPart
	var lit strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			lit.WriteString(s)
			break
		}
		lit.WriteString(s[:i])
		rest := s[i+2:]
		if strings.HasPrefix(rest, "!") {
			lit.WriteString("${")
			s = rest[1:]
			continue
		}
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			lit.WriteString(s[i:])
			break
		}
		if lit.Len() > 0 {
			parts = append(parts, subPart{text: lit.String()})
			lit.Reset()
		}
		parts = append(parts, subPart{text: strings.TrimSpace(rest[:j]), isVar: true})
		s = rest[j+1:]
	}
	if lit.Len() > 0 {
		parts = append(parts, subPart{text: lit.String()})
	}
	return parts
}

// fnSub evaluates Fn::Sub in both forms: "string" and [string, {variables}].
func (t *tmpl) fnSub(n, arg *Node) *value {
	const usage = "Fn::Sub takes a string, or [string, {name: value}]"
	var tplNode *Node
	vars := map[string]*value{}
	var inputs []*value
	switch {
	case arg != nil && arg.Kind == String:
		tplNode = arg
	case arg != nil && arg.Kind == Sequence && (len(arg.Items) == 1 || len(arg.Items) == 2):
		tplNode = arg.Items[0]
		if len(arg.Items) == 2 {
			vm := arg.Items[1]
			if _, _, isFn := intrinsic(vm); vm.Kind != Mapping || isFn {
				return t.fail(n, "Fn::Sub", usage)
			}
			refusals := t.budget.refusals
			for i, k := range vm.Keys {
				v := t.eval(vm.Values[i])
				if t.budget.refusals != refusals {
					return result(n, unknownAt(n.Range), append(inputs, v)...)
				}
				vars[k.Value] = v
				inputs = append(inputs, v)
			}
		}
	default:
		return t.fail(n, "Fn::Sub", usage)
	}
	tpl, tv, ok := t.nameArg(tplNode)
	inputs = append(inputs, tv)
	if !ok {
		if tv.kind == vUnknown {
			return result(n, unknownAt(n.Range), inputs...)
		}
		return t.fail(n, "Fn::Sub", usage, inputs...)
	}
	var b strings.Builder
	unknown, bad := false, false
	for _, p := range parseSub(tpl) {
		if !p.isVar {
			b.WriteString(p.text)
			continue
		}
		v, ok := vars[p.text] // already among the inputs
		if !ok {
			v = t.resolveName(n, p.text, false, secret(tv))
			inputs = append(inputs, v)
		}
		switch {
		case v.kind == vUnknown:
			unknown = true
		case v.isScalar():
			b.WriteString(v.text)
		default:
			if !bad {
				t.warnf(n.Range, "invalid Fn::Sub", fmt.Sprintf("${%s} is not a string", shown(p.text, tv)))
			}
			bad = true
		}
		if b.Len() > maxStringLen {
			return t.fail(n, "Fn::Sub", fmt.Sprintf("the result is longer than %d bytes", maxStringLen), inputs...)
		}
		if !t.afford(valueOverhead+b.Len(), n.Range) {
			return result(n, unknownAt(n.Range), inputs...)
		}
	}
	if unknown || bad {
		return result(n, unknownAt(n.Range), inputs...)
	}
	return result(n, stringAt(b.String(), n.Range), inputs...)
}

// fnJoin evaluates Fn::Join [delimiter, [values]].
func (t *tmpl) fnJoin(n, arg *Node) *value {
	const usage = "Fn::Join takes [delimiter, [values]]"
	items, ok := args(arg, 2, 2)
	if !ok {
		return t.fail(n, "Fn::Join", usage)
	}
	delim, list := t.eval(items[0]), t.eval(items[1])
	if delim.kind != vUnknown && !delim.isScalar() {
		return t.fail(n, "Fn::Join", "the delimiter must be a string", delim, list)
	}
	if list.kind != vUnknown && list.kind != vList {
		return t.fail(n, "Fn::Join", "the values to join must be a list", delim, list)
	}
	unknown := delim.kind == vUnknown || list.kind == vUnknown
	var parts []string
	size := 0
	for _, it := range list.items {
		switch {
		case it.kind == vUnknown:
			unknown = true
		case it.isScalar():
			parts = append(parts, it.text)
			size += len(it.text) + len(delim.text)
		default:
			return t.fail(n, "Fn::Join", "the values to join must be strings", delim, list)
		}
		if size > maxStringLen {
			return t.fail(n, "Fn::Join", fmt.Sprintf("the result is longer than %d bytes", maxStringLen), delim, list)
		}
	}
	if unknown || !t.afford(valueOverhead+size, n.Range) {
		return result(n, unknownAt(n.Range), delim, list)
	}
	return result(n, stringAt(strings.Join(parts, delim.text), n.Range), delim, list)
}

// intArg converts a known scalar to an integer.
func intArg(v *value) (int, bool) {
	if !v.isScalar() {
		return 0, false
	}
	i, err := strconv.Atoi(strings.TrimSpace(v.text))
	return i, err == nil
}

// fnSelect evaluates Fn::Select [index, list].
func (t *tmpl) fnSelect(n, arg *Node) *value {
	items, ok := args(arg, 2, 2)
	if !ok {
		return t.fail(n, "Fn::Select", "Fn::Select takes [index, list]")
	}
	idx, list := t.eval(items[0]), t.eval(items[1])
	if idx.kind == vUnknown || list.kind == vUnknown {
		return result(n, unknownAt(n.Range), idx, list)
	}
	i, ok := intArg(idx)
	if !ok {
		return t.fail(n, "Fn::Select", "the index must be an integer", idx, list)
	}
	if list.kind != vList {
		return t.fail(n, "Fn::Select", "the second argument must be a list", idx, list)
	}
	if i < 0 || i >= len(list.items) {
		if secret(idx, list) {
			return t.fail(n, "Fn::Select", "the index is out of range for the list (values from a NoEcho parameter are not shown)", idx, list)
		}
		return t.fail(n, "Fn::Select", fmt.Sprintf("index %d is out of range for a list of %d", i, len(list.items)), idx, list)
	}
	el := list.items[i]
	out := restamp(el, n.Range)
	out.links = list.allLinks(nil)
	out.origins = appendOrigins(out.origins, list.origins...)
	if list.sensitive {
		out = sensitiveCopy(out)
	}
	return result(n, out, idx)
}

// fnSplit evaluates Fn::Split [delimiter, string].
func (t *tmpl) fnSplit(n, arg *Node) *value {
	items, ok := args(arg, 2, 2)
	if !ok {
		return t.fail(n, "Fn::Split", "Fn::Split takes [delimiter, string]")
	}
	delim, src := t.eval(items[0]), t.eval(items[1])
	if delim.kind == vUnknown || src.kind == vUnknown {
		return result(n, unknownAt(n.Range), delim, src)
	}
	if !delim.isScalar() || delim.text == "" {
		return t.fail(n, "Fn::Split", "the delimiter must be a non-empty string", delim, src)
	}
	if !src.isScalar() {
		return t.fail(n, "Fn::Split", "the source must be a string", delim, src)
	}
	c := strings.Count(src.text, delim.text)
	if c >= maxListLen {
		return t.fail(n, "Fn::Split", fmt.Sprintf("the result has more than %d elements", maxListLen), delim, src)
	}
	if !t.afford((c+2)*valueOverhead+len(src.text), n.Range) {
		return result(n, unknownAt(n.Range), delim, src)
	}
	out := &value{kind: vList, rng: n.Range}
	for _, p := range strings.Split(src.text, delim.text) {
		out.items = append(out.items, stringAt(p, n.Range))
	}
	return result(n, out, delim, src)
}

// fnFindInMap evaluates Fn::FindInMap [map, top key, second key] and the
// AWS::LanguageExtensions form with a fourth argument {DefaultValue: v}.
func (t *tmpl) fnFindInMap(n, arg *Node) *value {
	const usage = "Fn::FindInMap takes [map name, top-level key, second-level key] and optionally {DefaultValue: value}"
	items, ok := args(arg, 3, 4)
	if !ok {
		return t.fail(n, "Fn::FindInMap", usage)
	}
	var def *Node
	if len(items) == 4 {
		if def = items[3].Get("DefaultValue"); def == nil {
			return t.fail(n, "Fn::FindInMap", usage)
		}
	}
	keys := make([]*value, 3)
	unknown := false
	for i := range keys {
		keys[i] = t.eval(items[i])
		switch {
		case keys[i].kind == vUnknown:
			unknown = true
		case !keys[i].isScalar():
			return t.fail(n, "Fn::FindInMap", "the map name and keys must be strings", keys...)
		}
	}
	if unknown {
		return result(n, unknownAt(n.Range), keys...)
	}
	node := t.mappings.Get(keys[0].text).Get(keys[1].text).Get(keys[2].text)
	if node == nil {
		if def != nil {
			return result(n, t.eval(def), keys...)
		}
		name, top, second := shown(keys[0].text, keys[0]), shown(keys[1].text, keys[1]), shown(keys[2].text, keys[2])
		missing := "mapping " + name
		switch {
		case t.mappings.Get(keys[0].text) == nil:
			missing += " is not declared"
		case t.mappings.Get(keys[0].text).Get(keys[1].text) == nil:
			missing += " has no key " + top
		default:
			missing += " has no key " + second + " under " + top
		}
		t.warnf(n.Range, "mapping key not found", "Fn::FindInMap: "+missing)
		return result(n, unknownAt(n.Range), keys...)
	}
	saved := t.env
	t.env = nil
	v := t.eval(node)
	t.env = saved
	return result(n, restamp(v, n.Range), keys...)
}

// fnBase64 evaluates Fn::Base64.
func (t *tmpl) fnBase64(n, arg *Node) *value {
	v := t.eval(arg)
	switch {
	case v.kind == vUnknown:
		return result(n, unknownAt(n.Range), v)
	case !v.isScalar():
		return t.fail(n, "Fn::Base64", "Fn::Base64 takes a string", v)
	case base64.StdEncoding.EncodedLen(len(v.text)) > maxStringLen:
		return t.fail(n, "Fn::Base64", fmt.Sprintf("the result is longer than %d bytes", maxStringLen), v)
	case !t.afford(valueOverhead+base64.StdEncoding.EncodedLen(len(v.text)), n.Range):
		return result(n, unknownAt(n.Range), v)
	}
	return result(n, stringAt(base64.StdEncoding.EncodeToString([]byte(v.text)), n.Range), v)
}

// fnCidr evaluates Fn::Cidr [ip block, count, cidr bits]: count
// consecutive subnets of the block with cidrBits host bits each.
func (t *tmpl) fnCidr(n, arg *Node) *value {
	items, ok := args(arg, 3, 3)
	if !ok {
		return t.fail(n, "Fn::Cidr", "Fn::Cidr takes [ip block, count, cidr bits]")
	}
	block, cnt, bits := t.eval(items[0]), t.eval(items[1]), t.eval(items[2])
	if !block.known() || !cnt.known() || !bits.known() {
		return result(n, unknownAt(n.Range), block, cnt, bits)
	}
	if !block.isScalar() {
		return t.fail(n, "Fn::Cidr", "the ip block must be a CIDR string", block, cnt, bits)
	}
	prefix, err := netip.ParsePrefix(strings.TrimSpace(block.text))
	blockText := shown(strconv.Quote(block.text), block)
	if err != nil {
		return t.fail(n, "Fn::Cidr", blockText+" is not a CIDR block", block, cnt, bits)
	}
	count, ok1 := intArg(cnt)
	hostBits, ok2 := intArg(bits)
	total := prefix.Addr().BitLen()
	newLen := total - hostBits
	switch {
	case !ok1 || count < 1 || count > 256:
		return t.fail(n, "Fn::Cidr", "the count must be an integer from 1 to 256", block, cnt, bits)
	case secret(block, cnt, bits) && (!ok2 || hostBits < 0 || newLen < prefix.Bits() ||
		newLen-prefix.Bits() < 9 && count > 1<<(newLen-prefix.Bits())):
		return t.fail(n, "Fn::Cidr", "the cidr bits or the count do not fit the ip block (values from a NoEcho parameter are not shown)", block, cnt, bits)
	case !ok2 || hostBits < 0 || newLen < prefix.Bits():
		return t.fail(n, "Fn::Cidr", fmt.Sprintf("cidr bits must be an integer from 0 to %d for %s", total-prefix.Bits(), block.text), block, cnt, bits)
	case newLen-prefix.Bits() < 9 && count > 1<<(newLen-prefix.Bits()):
		return t.fail(n, "Fn::Cidr", fmt.Sprintf("%s has room for %d subnets of /%d, not %d", block.text, 1<<(newLen-prefix.Bits()), newLen, count), block, cnt, bits)
	}
	base := new(big.Int).SetBytes(prefix.Masked().Addr().AsSlice())
	step := new(big.Int).Lsh(big.NewInt(1), uint(hostBits))
	out := &value{kind: vList, rng: n.Range}
	size := total / 8
	for i := 0; i < count; i++ {
		buf := base.FillBytes(make([]byte, size))
		addr, _ := netip.AddrFromSlice(buf)
		out.items = append(out.items, stringAt(netip.PrefixFrom(addr, newLen).String(), n.Range))
		base.Add(base, step)
	}
	return result(n, out, block, cnt, bits)
}

// fnImportValue evaluates Fn::ImportValue: unknown; the export's name is
// recorded (Meta "imports").
func (t *tmpl) fnImportValue(n, arg *Node) *value {
	v := t.eval(arg)
	l := link{imp: true, rng: n.Range}
	switch {
	case v.kind == vString && !v.anySensitive():
		l.export = v.text
	case v.kind == vString: // a NoEcho export name is not recorded
	case v.kind != vUnknown:
		return t.fail(n, "Fn::ImportValue", "Fn::ImportValue takes the name of an export", v)
	}
	u := unknownAt(n.Range)
	u.links = []link{l}
	return result(n, u, v)
}

// fnIf evaluates Fn::If [condition, value if true, value if false]: the
// taken branch, as written (its own ranges and references); unknown when
// the condition is, with the references of both branches.
func (t *tmpl) fnIf(n, arg *Node) *value {
	items, ok := args(arg, 3, 3)
	if !ok || items[0].Kind != String {
		return t.fail(n, "Fn::If", "Fn::If takes [condition name, value if true, value if false]")
	}
	c, tainted := t.tainted(func() tri { return t.condition(items[0].Value, items[0].Range) })
	var v *value
	switch c {
	case tTrue:
		v = t.eval(items[1])
	case tFalse:
		v = t.eval(items[2])
	default:
		v = result(n, unknownAt(n.Range), t.eval(items[1]), t.eval(items[2]))
	}
	if tainted {
		// The branch taken tells something about a NoEcho value.
		v = sensitiveCopy(v)
	}
	return v
}

// fnLength evaluates Fn::Length: the number of elements of a list.
func (t *tmpl) fnLength(n, arg *Node) *value {
	v := t.eval(arg)
	switch v.kind {
	case vUnknown:
		return result(n, unknownAt(n.Range), v)
	case vList:
		return result(n, &value{kind: vNumber, text: strconv.Itoa(len(v.items)), rng: n.Range}, v)
	}
	return t.fail(n, "Fn::Length", "Fn::Length takes a list", v)
}

// fnToJSONString evaluates Fn::ToJsonString: the JSON text of an object
// or a list, keys in the order written.
func (t *tmpl) fnToJSONString(n, arg *Node) *value {
	v := t.eval(arg)
	if !v.known() {
		return result(n, unknownAt(n.Range), v)
	}
	if v.kind != vMap && v.kind != vList {
		return t.fail(n, "Fn::ToJsonString", "Fn::ToJsonString takes an object or a list", v)
	}
	var b strings.Builder
	if !writeJSON(&b, v) {
		return t.fail(n, "Fn::ToJsonString", fmt.Sprintf("the result is longer than %d bytes", maxStringLen), v)
	}
	return result(n, stringAt(b.String(), n.Range), v)
}

func writeJSON(b *strings.Builder, v *value) bool {
	if b.Len() > maxStringLen {
		return false
	}
	switch v.kind {
	case vString:
		s, _ := json.Marshal(v.text)
		b.Write(s)
	case vNumber, vBool:
		b.WriteString(v.text)
	case vList:
		b.WriteByte('[')
		for i, it := range v.items {
			if i > 0 {
				b.WriteByte(',')
			}
			if !writeJSON(b, it) {
				return false
			}
		}
		b.WriteByte(']')
	case vMap:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			s, _ := json.Marshal(k)
			b.Write(s)
			b.WriteByte(':')
			if !writeJSON(b, v.fields[k]) {
				return false
			}
		}
		b.WriteByte('}')
	default:
		b.WriteString("null")
	}
	return b.Len() <= maxStringLen
}

package terraform

import (
	"fmt"
	"sort"

	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// terraform-aws-modules/security-group/aws, version 5 (its main.tf,
// variables.tf and rules.tf, as data): one security group (this, or
// this_name_prefix when use_name_prefix) and one aws_security_group_rule
// per rule of each input form.

// sgForm is how a family of rules names its peers.
type sgForm int

const (
	sgByName     sgForm = iota // ingress_rules: named rules, peers from ingress_cidr_blocks etc.
	sgWithSource               // ingress_with_source_security_group_id
	sgWithCIDR                 // ingress_with_cidr_blocks
	sgWithIPv6                 // ingress_with_ipv6_cidr_blocks
	sgWithSelf                 // ingress_with_self
	sgWithPrefix               // ingress_with_prefix_list_ids
)

// sgFamily is one aws_security_group_rule resource of the module.
type sgFamily struct {
	name     string // resource name: ingress_rules, computed_egress_with_self
	dir      string // ingress or egress
	form     sgForm
	computed bool   // counted by number_of_<name>
	elems    string // the input its elements come from (normally name)
	// sourceSG: the rule also reads source_security_group_id from its
	// element (computed_egress_with_prefix_list_ids does).
	sourceSG bool
}

// sgFamilies lists the rule resources in the module's order. Two quirks
// of the module are kept: computed_ingress_with_prefix_list_ids reads its
// elements from ingress_with_prefix_list_ids, and
// computed_egress_with_prefix_list_ids also sets source_security_group_id.
var sgFamilies = func() []sgFamily {
	forms := []struct {
		suffix string
		form   sgForm
	}{
		{"rules", sgByName}, {"with_source_security_group_id", sgWithSource}, {"with_cidr_blocks", sgWithCIDR},
		{"with_ipv6_cidr_blocks", sgWithIPv6}, {"with_self", sgWithSelf}, {"with_prefix_list_ids", sgWithPrefix},
	}
	var out []sgFamily
	for _, dir := range []string{"ingress", "egress"} {
		for _, f := range forms {
			name := dir + "_" + f.suffix
			out = append(out, sgFamily{name: name, dir: dir, form: f.form, elems: name})
			c := sgFamily{name: "computed_" + name, dir: dir, form: f.form, computed: true, elems: "computed_" + name}
			if f.form == sgWithPrefix {
				if dir == "ingress" {
					c.elems = name
				} else {
					c.sourceSG = true
				}
			}
			out = append(out, c)
		}
	}
	return out
}()

// sgRootVars declares the module's inputs that the resources read.
var sgRootVars = func() map[string]regVar {
	str, strNull := cty.String, cty.NullVal(cty.String)
	listStr, listMap := cty.List(cty.String), cty.List(cty.Map(cty.String))
	v := map[string]regVar{
		"create":                 {cty.Bool, cty.True},
		"create_sg":              {cty.Bool, cty.True},
		"putin_khuylo":           {cty.Bool, cty.True},
		"security_group_id":      {str, strNull},
		"vpc_id":                 {str, strNull},
		"name":                   {str, strNull},
		"use_name_prefix":        {cty.Bool, cty.True},
		"description":            {str, cty.StringVal("Security Group managed by Terraform")},
		"revoke_rules_on_delete": {cty.Bool, cty.False},
		"tags":                   {cty.Map(str), cty.MapValEmpty(str)},
		"create_timeout":         {str, cty.StringVal("10m")},
		"delete_timeout":         {str, cty.StringVal("15m")},
	}
	for _, f := range sgFamilies {
		typ := listMap
		if f.form == sgByName {
			typ = listStr
		}
		v[f.name] = regVar{typ, cty.ListValEmpty(typ.ElementType())}
		if f.computed {
			v["number_of_"+f.name] = regVar{cty.Number, cty.Zero}
		}
	}
	for _, dir := range []string{"ingress", "egress"} {
		v[dir+"_cidr_blocks"] = regVar{listStr, cty.ListValEmpty(str)}
		v[dir+"_ipv6_cidr_blocks"] = regVar{listStr, cty.ListValEmpty(str)}
		v[dir+"_prefix_list_ids"] = regVar{listStr, cty.ListValEmpty(str)}
	}
	v["egress_cidr_blocks"] = regVar{listStr, strList("0.0.0.0/0")}
	v["egress_ipv6_cidr_blocks"] = regVar{listStr, strList("::/0")}
	return v
}()

// sgPresetOwnVars are the inputs a preset (//modules/<name>) declares
// besides those it passes to the module: the rules it adds, which a
// caller may replace.
var sgPresetOwnVars = []string{
	"auto_ingress_rules", "auto_ingress_with_self", "auto_egress_rules", "auto_egress_with_self",
	"auto_computed_ingress_rules", "auto_computed_ingress_with_self", "auto_computed_egress_rules", "auto_computed_egress_with_self",
	"auto_number_of_computed_ingress_rules", "auto_number_of_computed_ingress_with_self",
	"auto_number_of_computed_egress_rules", "auto_number_of_computed_egress_with_self",
}

// sgPresetVars declares the inputs of a preset: those of the module but
// the ones it does not pass (the module's defaults apply), name and vpc_id
// required, and its auto_* inputs with the preset's rules as defaults.
func sgPresetVars(preset string) map[string]regVar {
	v := map[string]regVar{}
	for name, d := range sgRootVars {
		switch name {
		case "create_sg", "security_group_id", "create_timeout", "delete_timeout", "putin_khuylo":
			continue
		case "name", "vpc_id":
			d.def = cty.NilVal
		}
		v[name] = d
	}
	listStr, listMap := cty.List(cty.String), cty.List(cty.Map(cty.String))
	for _, name := range sgPresetOwnVars {
		switch {
		case name == "auto_ingress_rules":
			v[name] = regVar{listStr, strList(sgPresets[preset]...)}
		case name == "auto_egress_rules":
			v[name] = regVar{listStr, strList(sgPresetEgress...)}
		case name == "auto_ingress_with_self":
			var maps []map[string]string
			for _, r := range sgPresetIngressSelf {
				maps = append(maps, map[string]string{"rule": r})
			}
			v[name] = regVar{listMap, strMapList(maps...)}
		case len(name) > len("auto_number_") && name[:len("auto_number_")] == "auto_number_":
			v[name] = regVar{cty.Number, cty.Zero}
		case name == "auto_egress_with_self" || name == "auto_computed_ingress_with_self" || name == "auto_computed_egress_with_self":
			v[name] = regVar{listMap, cty.ListValEmpty(cty.Map(cty.String))}
		default:
			v[name] = regVar{listStr, cty.ListValEmpty(cty.String)}
		}
	}
	return v
}

// presetInputs computes what a preset passes to the module: the named
// rules are sort(compact(distinct(concat(auto, given)))), the rules with
// self concat(auto, given), the computed counts auto + given; every other
// input it passes as given; the inputs it does not pass take the module's
// defaults.
func (rc *regCall) presetInputs(p map[string]regInput) map[string]regInput {
	in := map[string]regInput{}
	for name, d := range sgRootVars {
		if v, ok := p[name]; ok {
			in[name] = v
		} else {
			in[name] = rc.input(d.def, header)
		}
	}
	for _, dir := range []string{"ingress", "egress"} {
		for _, c := range []string{"", "computed_"} {
			rules := c + dir + "_rules"
			in[rules] = rc.ruleNames(p["auto_"+rules], p[rules])
			self := c + dir + "_with_self"
			in[self] = rc.concat(p["auto_"+self], p[self])
		}
		for _, n := range []string{"number_of_computed_" + dir + "_rules", "number_of_computed_" + dir + "_with_self"} {
			in[n] = rc.sum(p["auto_"+n], p[n])
		}
	}
	return in
}

// ruleNames is sort(compact(distinct(concat(a, b, [""])))): every element
// keeps its source. An unknown element makes the list unknown; a
// sensitive one makes it sensitive as a whole (its order would tell).
func (rc *regCall) ruleNames(a, b regInput) regInput {
	all, ok := rc.concatItems(a, b)
	if !ok {
		return all
	}
	seen := map[string]bool{}
	var items []regItem
	var secret bool
	for _, it := range all.items {
		u, marks := it.v.Unmark()
		if !u.IsKnown() {
			return regInput{v: cty.UnknownVal(cty.List(cty.String)).WithMarks(marks), src: header}
		}
		if marks.Has(sensitiveMark{}) {
			secret = true
		}
		if u.IsNull() || u.AsString() == "" || seen[u.AsString()] {
			continue
		}
		seen[u.AsString()] = true
		items = append(items, it)
	}
	sort.SliceStable(items, func(i, j int) bool {
		x, _ := items[i].v.Unmark()
		y, _ := items[j].v.Unmark()
		return x.AsString() < y.AsString()
	})
	return rc.listOf(items, cty.String, secret)
}

// concat is concat(a, b), each element keeping its source.
func (rc *regCall) concat(a, b regInput) regInput {
	all, ok := rc.concatItems(a, b)
	if !ok {
		return all
	}
	return rc.listOf(all.items, cty.Map(cty.String), false)
}

// concatItems gathers the elements of two lists; when either is not a
// known list the result is the unknown (or sensitive) list.
func (rc *regCall) concatItems(a, b regInput) (regInput, bool) {
	var items []regItem
	var marks []cty.ValueMarks
	for _, l := range []regInput{a, b} {
		_, m := l.v.Unmark()
		marks = append(marks, m)
		if !l.known || m.Has(sensitiveMark{}) {
			typ := l.v.Type()
			if !typ.IsListType() {
				typ = cty.List(cty.DynamicPseudoType)
			}
			return regInput{v: cty.UnknownVal(typ).WithMarks(marks...), src: l.src}, false
		}
		items = append(items, l.items...)
	}
	return regInput{items: items, known: true}, true
}

// listOf builds a known list input from elements that keep their
// sources; secret marks the list as a whole.
func (rc *regCall) listOf(items []regItem, elem cty.Type, secret bool) regInput {
	v := cty.ListValEmpty(elem)
	if len(items) > 0 {
		vals := make([]cty.Value, len(items))
		for i, it := range items {
			vals[i] = it.v
		}
		v = cty.ListVal(vals)
	}
	if secret {
		v = v.Mark(sensitiveMark{})
	}
	return regInput{v: v, src: header, items: items, known: true}
}

// sum is a + b of two number inputs.
func (rc *regCall) sum(a, b regInput) regInput {
	x, xm := a.v.Unmark()
	y, ym := b.v.Unmark()
	src := a.src
	if b.src.arg != "" {
		src = b.src
	}
	if !x.IsKnown() || !y.IsKnown() || x.IsNull() || y.IsNull() {
		return regInput{v: cty.UnknownVal(cty.Number).WithMarks(xm, ym), src: src}
	}
	return regInput{v: x.Add(y).WithMarks(xm, ym), src: src}
}

// sgModel builds the resources of one call of the module (or of the
// module called by a preset).
type sgModel struct {
	rc *regCall
	in map[string]regInput
	// rules is the rules input when the call replaces the module's map.
	rules *regInput
}

func buildSecurityGroup(rc *regCall) {
	m := &sgModel{rc: rc}
	if rc.src.preset != "" {
		m.in = rc.presetInputs(rc.bind(sgPresetVars(rc.src.preset)))
		rc.path += ".module.sg" // the preset calls the module as "sg"
	} else {
		m.in = rc.bind(sgRootVars)
		if a, ok := rc.call.args["rules"]; ok {
			r := rc.input(rc.e.evalStructure(a.Expr, rc.in.scope), regSrc{arg: "rules"})
			m.rules = &r
		}
	}
	m.build()
}

func (m *sgModel) build() {
	rc, in := m.rc, m.in
	create := and(in["create"].v, in["putin_khuylo"].v)
	createAt := in["create"].src
	createSG := in["create_sg"].v
	usePrefix := in["use_name_prefix"].v

	// The group's count decides on create, then create_sg, then
	// use_name_prefix: an unknown or sensitive count is reported at the
	// first of them not known to be true.
	at := createAt
	switch {
	case isTrue(create) && !isTrue(createSG):
		at = in["create_sg"].src
	case isTrue(create):
		at = in["use_name_prefix"].src
	}
	var groups []*regRes
	for _, g := range []struct {
		name string
		want cty.Value
	}{
		{"this", and(create, createSG, not(usePrefix))},
		{"this_name_prefix", and(create, createSG, usePrefix)},
	} {
		for _, inst := range rc.instances(rc.when(g.want, at, knownCount(1))) {
			groups = append(groups, m.group(g.name, inst))
		}
	}
	for _, attr := range []struct{ output, attr string }{
		{"security_group_id", "id"}, {"security_group_arn", "arn"}, {"security_group_name", "name"},
		{"security_group_description", "description"}, {"security_group_vpc_id", "vpc_id"}, {"security_group_owner_id", "owner_id"},
	} {
		rc.output(attr.output, attr.attr, groups...)
	}

	for _, f := range sgFamilies {
		list := in[f.elems]
		var n regCount
		if f.computed {
			n = rc.numberCount(in["number_of_"+f.name])
		} else {
			n = rc.listCount(list)
		}
		cond, at := create, createAt
		if f.form == sgWithPrefix {
			cond = in["create"].v // the module tests var.create, not local.create, there
		}
		for _, inst := range rc.instances(rc.when(cond, at, n)) {
			r := rc.resource("aws_security_group_rule", f.name, inst)
			m.rule(r, f, list.item(inst), groups)
		}
	}
}

// group builds the security group (this or this_name_prefix).
func (m *sgModel) group(name string, inst instance) *regRes {
	rc, in := m.rc, m.in
	r := rc.resource("aws_security_group", name, inst)
	nameIn := in["name"]
	if name == "this" {
		r.set("name", nameIn.v, nameIn.src)
	} else {
		r.set("name_prefix", suffixed(nameIn.v, "-"), nameIn.src)
	}
	for _, a := range []string{"description", "vpc_id", "revoke_rules_on_delete"} {
		r.set(a, in[a].v, in[a].src)
	}
	// tags = merge({Name = format("%s", var.name)}, var.tags)
	tags := in["tags"]
	r.set("tags", mergeTags(map[string]cty.Value{"Name": nameIn.v}, tags.v), tags.src)
	r.from("tags.Name", nameIn.src)
	r.set("timeouts", cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
		"create": in["create_timeout"].v, "delete": in["delete_timeout"].v,
	})}), header)
	r.from("timeouts.0.create", in["create_timeout"].src)
	r.from("timeouts.0.delete", in["delete_timeout"].src)
	return r
}

// suffixed is "${v}<suffix>": unknown when v is null (Terraform fails).
func suffixed(v cty.Value, suffix string) cty.Value {
	u, marks := v.Unmark()
	if !u.IsKnown() || u.IsNull() || u.Type() != cty.String {
		return cty.UnknownVal(cty.String).WithMarks(marks)
	}
	return cty.StringVal(u.AsString() + suffix).WithMarks(marks)
}

// mergeTags is merge(fixed, tags...) of maps of strings: unknown when a
// map is, or when a fixed value is null (the module's format() fails on
// null). The result carries the marks of each map as a whole.
func mergeTags(fixed map[string]cty.Value, tags ...cty.Value) cty.Value {
	var marks []cty.ValueMarks
	maps := make([]cty.Value, len(tags))
	for i, t := range tags {
		u, m := t.Unmark()
		marks = append(marks, m)
		maps[i] = u
	}
	out := map[string]cty.Value{}
	for k, v := range fixed {
		if vu, _ := v.Unmark(); vu.IsKnown() && vu.IsNull() {
			return cty.DynamicVal.WithMarks(append(marks, marksOf(v))...)
		}
		out[k] = v
	}
	for _, u := range maps {
		if !u.IsKnown() {
			return cty.DynamicVal.WithMarks(marks...)
		}
		if u.IsNull() {
			continue
		}
		for it := u.ElementIterator(); it.Next(); {
			k, v := it.Element()
			out[k.AsString()] = v
		}
	}
	return cty.ObjectVal(out).WithMarks(marks...)
}

// rule builds one aws_security_group_rule of a family from its element:
// a rule name (named rules) or a map (the with_* forms).
func (m *sgModel) rule(r *regRes, f sgFamily, el regItem, groups []*regRes) {
	in := m.in
	m.securityGroupID(r, groups)
	r.set("type", cty.StringVal(f.dir), header)
	peers := func(attr, input string) {
		l := in[input]
		r.set(attr, l.v, l.src)
	}
	split := func(attr, key, input string) {
		var v cty.Value
		var parts []regSrc
		var src regSrc
		if s, ok := field(el, key); ok {
			v, parts = splitList(s)
			src = s.src
		} else {
			v, parts = joinSplit(in[input])
			src = in[input].src
		}
		r.set(attr, v, src)
		for i, p := range parts {
			r.from(fmt.Sprintf("%s.%d", attr, i), p)
		}
	}
	if f.form == sgByName {
		peers("cidr_blocks", f.dir+"_cidr_blocks")
		peers("ipv6_cidr_blocks", f.dir+"_ipv6_cidr_blocks")
		peers("prefix_list_ids", f.dir+"_prefix_list_ids")
		rule := m.namedRule(el)
		r.set("description", rule[3].v, rule[3].src)
		r.set("from_port", rule[0].v, rule[0].src)
		r.set("to_port", rule[1].v, rule[1].src)
		r.set("protocol", rule[2].v, rule[2].src)
		return
	}
	switch f.form {
	case sgWithSource:
		m.sourceGroup(r, el)
		peers("prefix_list_ids", f.dir+"_prefix_list_ids")
	case sgWithCIDR:
		split("cidr_blocks", "cidr_blocks", f.dir+"_cidr_blocks")
	case sgWithIPv6:
		split("ipv6_cidr_blocks", "ipv6_cidr_blocks", f.dir+"_ipv6_cidr_blocks")
		peers("prefix_list_ids", f.dir+"_prefix_list_ids")
	case sgWithSelf:
		self := lookup(el, "self", cty.StringVal("true"))
		r.set("self", self.v, self.src)
		peers("prefix_list_ids", f.dir+"_prefix_list_ids")
	case sgWithPrefix:
		if f.sourceSG {
			m.sourceGroup(r, el)
		}
		split("prefix_list_ids", "prefix_list_ids", f.dir+"_prefix_list_ids")
	}
	desc := "Ingress Rule"
	if f.dir == "egress" {
		desc = "Egress Rule"
	}
	d := lookup(el, "description", cty.StringVal(desc))
	r.set("description", d.v, d.src)
	// from_port = lookup(el, "from_port", rules[lookup(el, "rule", "_")][0]):
	// Terraform evaluates the default first, so a rule name the map does
	// not hold makes the ports and protocol unknown even when given.
	rule := m.namedRule(lookup(el, "rule", cty.StringVal("_")))
	for i, a := range []string{"from_port", "to_port", "protocol"} {
		v := lookup(el, a, rule[i].v)
		if v.src.arg == "" && len(v.src.path) == 0 {
			v.src = rule[i].src
		}
		if u, _ := rule[i].v.Unmark(); !u.IsKnown() {
			v.v = cty.UnknownVal(cty.String).WithMarks(marksOf(v.v), marksOf(rule[i].v))
		}
		r.set(a, v.v, v.src)
	}
}

// sourceGroup sets source_security_group_id from the element's entry,
// which the module requires.
func (m *sgModel) sourceGroup(r *regRes, el regItem) {
	s, ok := field(el, "source_security_group_id")
	if !ok {
		s = regItem{v: cty.UnknownVal(cty.String).WithMarks(marksOf(el.v)), src: el.src}
		m.rc.e.diag(graph.SeverityWarning, "missing rule entry",
			fmt.Sprintf("module %q: a rule of %s has no source_security_group_id, which the module requires; its value is unknown", m.rc.call.name, r.name), m.rc.rng(el.src))
	}
	r.set("source_security_group_id", s.v, s.src)
}

// securityGroupID sets security_group_id: the group the module creates
// (an edge to it), or the security_group_id input when create_sg is false.
func (m *sgModel) securityGroupID(r *regRes, groups []*regRes) {
	createSG := m.in["create_sg"].v
	given := m.in["security_group_id"]
	switch {
	case isFalse(createSG):
		r.set("security_group_id", given.v, given.src)
	default:
		_, marks := createSG.Unmark()
		r.set("security_group_id", cty.UnknownVal(cty.String).WithMarks(marks), header)
		r.ref("security_group_id", "id", groups...)
		if !isTrue(createSG) && given.src.arg != "" {
			r.from("security_group_id", given.src)
		}
	}
}

// namedRule returns the from_port, to_port, protocol and description of a
// named rule, each with the source of the name and its marks: from the
// module's rules, or from the rules input when the call replaces them.
// The parts of an unknown name, or of a name the rules do not hold, are
// unknown (the latter with a warning: Terraform fails on it).
func (m *sgModel) namedRule(name regItem) [4]regItem {
	var out [4]regItem
	u, marks := name.v.Unmark()
	unknown := func() [4]regItem {
		for i := range out {
			out[i] = regItem{v: cty.UnknownVal(cty.String).WithMarks(marks), src: name.src}
		}
		return out
	}
	if !u.IsKnown() || u.IsNull() || u.Type() != cty.String {
		return unknown()
	}
	if m.rules != nil {
		return m.givenRule(u.AsString(), name)
	}
	rule, ok := sgRules[u.AsString()]
	if !ok {
		what := fmt.Sprintf("%q", u.AsString())
		if marks.Has(sensitiveMark{}) {
			what = "(sensitive)"
		}
		m.rc.e.diag(graph.SeverityWarning, "unknown rule name",
			fmt.Sprintf("module %q: the module has no rule named %s (see its rules.tf); the rule's ports and protocol are unknown", m.rc.call.name, what), m.rc.rng(name.src))
		return unknown()
	}
	for i, s := range []string{rule.from, rule.to, rule.protocol, rule.description} {
		out[i] = regItem{v: cty.StringVal(s).WithMarks(marks), src: name.src}
	}
	if !rule.described {
		out[3].v = cty.UnknownVal(cty.String).WithMarks(marks)
	}
	return out
}

// givenRule looks a rule name up in a rules input given by the call.
func (m *sgModel) givenRule(name string, at regItem) [4]regItem {
	var out [4]regItem
	rules := regItem{v: m.rules.v, src: m.rules.src}
	entry, ok := field(rules, name)
	parts := regInput{}
	if ok {
		parts = m.rc.input(entry.v, entry.src)
	}
	for i := range out {
		v := cty.UnknownVal(cty.String).WithMarks(marksOf(at.v), marksOf(m.rules.v))
		if parts.known && i < len(parts.items) {
			if s, err := convertString(parts.items[i].v); err == nil {
				v = s.WithMarks(marksOf(at.v))
			}
		}
		out[i] = regItem{v: v, src: at.src}
	}
	return out
}

// convertString converts a primitive value to a string as Terraform does.
func convertString(v cty.Value) (cty.Value, error) {
	u, marks := v.Unmark()
	if !u.IsKnown() || u.IsNull() {
		return cty.UnknownVal(cty.String).WithMarks(marks), nil
	}
	switch u.Type() {
	case cty.String:
		return v, nil
	case cty.Number:
		return cty.StringVal(u.AsBigFloat().Text('f', -1)).WithMarks(marks), nil
	case cty.Bool:
		return cty.StringVal(fmt.Sprint(u.True())).WithMarks(marks), nil
	}
	return cty.NilVal, fmt.Errorf("not a string")
}

// marksOf returns the marks of a value.
func marksOf(v cty.Value) cty.ValueMarks {
	_, m := v.Unmark()
	return m
}

package plan

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// configModule is a module of the plan's "configuration". It is decoded
// here rather than with tfjson.ConfigModule because tfjson's Expression
// keeps only nested blocks written as arrays: a block of nesting mode
// "single" or "map" (an object of expressions) would lose its references.
type configModule struct {
	Resources   []configResource        `json:"resources"`
	ModuleCalls map[string]configCall   `json:"module_calls"`
	Outputs     map[string]configOutput `json:"outputs"`
}

type configResource struct {
	Mode        string                     `json:"mode"`
	Type        string                     `json:"type"`
	Name        string                     `json:"name"`
	Expressions map[string]json.RawMessage `json:"expressions"`
}

type configCall struct {
	Expressions map[string]json.RawMessage `json:"expressions"`
	Module      *configModule              `json:"module"`
}

type configOutput struct {
	Expression json.RawMessage `json:"expression"`
}

// relAddr is a resource's address inside its module, without instance key.
func relAddr(mode, typ, name string) string {
	if mode == "data" {
		return "data." + typ + "." + name
	}
	return typ + "." + name
}

// attrRefs is the reference list of one expression at an attribute path,
// reduced to its significant references.
type attrRefs struct {
	path string
	refs []string
}

// configIndex is what the configuration says about references. Module
// paths here have no instance keys ("module.net").
type configIndex struct {
	// refs: module path + "|" + relative resource address → the
	// references of the resource's expressions.
	refs map[string][]attrRefs
	// declared: module path + "|" + relative address of every resource.
	declared map[string]bool
	// args: module path of a called module → argument name → references
	// of the argument's expression in the calling module.
	args map[string]map[string][]string
	// outputs: module path → output name → references of its expression.
	outputs map[string]map[string][]string
}

func indexConfig(root *configModule) *configIndex {
	ix := &configIndex{
		refs:     map[string][]attrRefs{},
		declared: map[string]bool{},
		args:     map[string]map[string][]string{},
		outputs:  map[string]map[string][]string{},
	}
	ix.add(root, "", 0)
	return ix
}

// maxModuleDepth bounds the walk of module_calls and of references through
// module arguments and outputs.
const maxModuleDepth = 64

func (ix *configIndex) add(m *configModule, modPath string, depth int) {
	if m == nil || depth > maxModuleDepth {
		return
	}
	for _, r := range m.Resources {
		key := modPath + "|" + relAddr(r.Mode, r.Type, r.Name)
		ix.declared[key] = true
		for _, name := range sortedKeys(r.Expressions) {
			ix.refs[key] = append(ix.refs[key], expressionRefs(r.Expressions[name], name)...)
		}
	}
	for _, name := range sortedKeys(m.Outputs) {
		if ix.outputs[modPath] == nil {
			ix.outputs[modPath] = map[string][]string{}
		}
		ix.outputs[modPath][name] = flatRefs(expressionRefs(m.Outputs[name].Expression, ""))
	}
	for _, name := range sortedKeys(m.ModuleCalls) {
		call := m.ModuleCalls[name]
		child := join(modPath, "module."+name)
		args := map[string][]string{}
		for _, arg := range sortedKeys(call.Expressions) {
			args[arg] = flatRefs(expressionRefs(call.Expressions[arg], arg))
		}
		ix.args[child] = args
		ix.add(call.Module, child, depth+1)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// expressionRefs decodes one expression (or block expressions) member.
func expressionRefs(raw json.RawMessage, path string) []attrRefs {
	if len(raw) == 0 {
		return nil
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return nil
	}
	var out []attrRefs
	exprRefs(v, path, &out)
	return out
}

func flatRefs(list []attrRefs) []string {
	var out []string
	for _, ar := range list {
		out = append(out, ar.refs...)
	}
	return out
}

// exprRefs collects the references of an expression representation, or of
// a block expressions representation: nested blocks are arrays of objects
// (one per block: "ingress": [{"cidr_blocks": {...}}] gives paths
// "ingress.0.cidr_blocks"), or a single object of expressions (nesting mode
// single, or map keyed by the block's key).
func exprRefs(v any, path string, out *[]attrRefs) {
	switch x := v.(type) {
	case []any:
		for i, el := range x {
			if m, ok := el.(map[string]any); ok {
				blockRefs(m, join(path, strconv.Itoa(i)), out)
			}
		}
	case map[string]any:
		if refs, ok := expression(x); ok {
			if refs = significant(refs); len(refs) > 0 {
				*out = append(*out, attrRefs{path: path, refs: refs})
			}
			return
		}
		blockRefs(x, path, out)
	}
}

func blockRefs(m map[string]any, prefix string, out *[]attrRefs) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		exprRefs(m[k], join(prefix, k), out)
	}
}

// expression reports whether m is an expression representation
// ({"constant_value": ...} or {"references": [...]}) and returns its
// references.
func expression(m map[string]any) ([]string, bool) {
	var refs []string
	for k, v := range m {
		switch k {
		case "constant_value":
		case "references":
			l, ok := v.([]any)
			if !ok {
				return nil, false
			}
			for _, e := range l {
				s, ok := e.(string)
				if !ok {
					return nil, false
				}
				refs = append(refs, s)
			}
		default:
			return nil, false
		}
	}
	return refs, true
}

// step is one step of a reference or address: a name, or an index with
// its brackets ("[0]", `["a"]`, "[*]").
type step struct {
	name  string
	index string
}

// parseSteps splits "module.net[\"a\"].aws_x.y[0].id" into its steps.
func parseSteps(s string) ([]step, bool) {
	var out []step
	for i := 0; i < len(s); {
		switch s[i] {
		case '.':
			if i == 0 || i+1 >= len(s) || s[i+1] == '.' || s[i+1] == '[' {
				return nil, false
			}
			i++
		case '[':
			j := closingBracket(s, i+1)
			if j < 0 {
				return nil, false
			}
			out = append(out, step{index: s[i : j+1]})
			i = j + 1
		default:
			j := i
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			out = append(out, step{name: s[i:j]})
			i = j
		}
	}
	return out, len(out) > 0
}

// closingBracket returns the index of the "]" that closes an index
// starting at from, skipping quoted keys; -1 when there is none.
func closingBracket(s string, from int) int {
	inString := false
	for j := from; j < len(s); j++ {
		switch c := s[j]; {
		case inString && c == '\\':
			j++
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == ']':
			return j
		}
	}
	return -1
}

// withoutKeys drops every index step of an address: "module.a[0].aws_x.y[1]"
// becomes "module.a.aws_x.y".
func withoutKeys(addr string) string {
	if !strings.Contains(addr, "[") {
		return addr
	}
	steps, ok := parseSteps(addr)
	if !ok {
		return addr
	}
	var b strings.Builder
	for _, st := range steps {
		if st.name == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(st.name)
	}
	return b.String()
}

// withoutLastKey drops the instance key of the last step of an address:
// `aws_x.y["a"]` becomes "aws_x.y".
func withoutLastKey(addr string) string {
	if !strings.HasSuffix(addr, "]") {
		return addr
	}
	steps, ok := parseSteps(addr)
	if !ok || len(steps) < 2 || steps[len(steps)-1].index == "" {
		return addr
	}
	return strings.TrimSuffix(addr, steps[len(steps)-1].index)
}

// Roots of references that never name a resource.
var nonResourceRoots = map[string]bool{
	"var": true, "local": true, "module": true, "each": true, "count": true, "path": true,
	"terraform": true, "self": true, "ephemeral": true, "action": true, "run": true, "check": true,
}

// resolvedRef is a reference to a resource: its address relative to the
// module, the instance key written in the reference (empty when none, or a
// splat), and the first attribute read after it.
type resolvedRef struct {
	rel, key, attr string
}

// resolveRef reads a reference string as Terraform writes it in
// "references" ("aws_security_group.x.id", `data.aws_iam_policy_document.p`,
// `aws_instance.app[0].arn`).
func resolveRef(ref string) (resolvedRef, bool) {
	steps, ok := parseSteps(ref)
	if !ok || steps[0].name == "" || nonResourceRoots[steps[0].name] {
		return resolvedRef{}, false
	}
	var r resolvedRef
	next := 2
	if steps[0].name == "data" {
		if len(steps) < 3 || steps[1].name == "" || steps[2].name == "" {
			return resolvedRef{}, false
		}
		r.rel = "data." + steps[1].name + "." + steps[2].name
		next = 3
	} else {
		if len(steps) < 2 || steps[1].name == "" {
			return resolvedRef{}, false
		}
		r.rel = steps[0].name + "." + steps[1].name
	}
	if next < len(steps) && steps[next].index != "" {
		if steps[next].index != "[*]" {
			r.key = steps[next].index
		}
		next++
	}
	if next < len(steps) && steps[next].name != "" {
		r.attr = steps[next].name
	}
	return r, true
}

// significant drops every reference that is a prefix of another one of the
// same expression: Terraform lists each traversal with all its shorter
// prefixes (["aws_x.y[0].id", "aws_x.y[0]", "aws_x.y"]), and only the
// longest says what was read.
func significant(refs []string) []string {
	var out []string
	for _, r := range refs {
		prefix := false
		for _, o := range refs {
			if len(o) > len(r) && strings.HasPrefix(o, r) && (o[len(r)] == '.' || o[len(r)] == '[') {
				prefix = true
				break
			}
		}
		if !prefix {
			out = append(out, r)
		}
	}
	return out
}

// resolver turns references, written in a module instance, into edges to
// resource instances of the plan, following module arguments (var.x in a
// called module is what the caller passes) and module outputs
// (module.net.sg_id is what the output's expression refers to).
type resolver struct {
	ix *configIndex
	// instances: module instance address + "|" + relative address →
	// resource instance addresses, sorted.
	instances map[string][]string
	// modules: module path without keys → its instance addresses, sorted.
	modules map[string][]string
}

func newResolver(ix *configIndex, resources []*graph.Resource) *resolver {
	rs := &resolver{ix: ix, instances: map[string][]string{}, modules: map[string][]string{}}
	seen := map[string]bool{}
	for _, r := range resources {
		k := r.Module + "|" + relAddr(r.Mode, r.Type, r.Name)
		rs.instances[k] = append(rs.instances[k], r.Address)
		for m := r.Module; m != "" && !seen[m]; m, _ = parentModule(m) {
			seen[m] = true
			rs.modules[withoutKeys(m)] = append(rs.modules[withoutKeys(m)], m)
		}
	}
	for _, l := range rs.instances {
		sort.Strings(l)
	}
	for _, l := range rs.modules {
		sort.Strings(l)
	}
	return rs
}

// parentModule splits a module instance address into its parent's and the
// last call: "module.a[0].module.b" gives "module.a[0]" and "module.b".
func parentModule(mod string) (parent, call string) {
	steps, ok := parseSteps(mod)
	if !ok {
		return "", ""
	}
	last := -1
	for i := 0; i+1 < len(steps) && steps[i].name == "module"; {
		last = i
		i += 2
		if i < len(steps) && steps[i].index != "" {
			i++
		}
	}
	if last < 0 {
		return "", ""
	}
	return render(steps[:last]), steps[last+1].name
}

func render(steps []step) string {
	var b strings.Builder
	for _, st := range steps {
		if st.index != "" {
			b.WriteString(st.index)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(st.name)
	}
	return b.String()
}

// resolve calls emit with each resource instance (and attribute) that ref,
// written in module instance mod, refers to.
func (rs *resolver) resolve(mod, ref string, depth int, emit func(target, attr string)) {
	if depth > maxModuleDepth {
		return
	}
	steps, ok := parseSteps(ref)
	if !ok || len(steps) < 2 || steps[1].name == "" {
		return
	}
	switch steps[0].name {
	case "var":
		if mod == "" {
			return
		}
		parent, _ := parentModule(mod)
		for _, r := range rs.ix.args[withoutKeys(mod)][steps[1].name] {
			rs.resolve(parent, r, depth+1, emit)
		}
		return
	case "module":
		call := steps[1].name
		next, key := 2, ""
		if next < len(steps) && steps[next].index != "" {
			key = steps[next].index
			next++
		}
		if next >= len(steps) || steps[next].name == "" {
			return // the whole module object: no single output to follow
		}
		output := steps[next].name
		childPath := join(withoutKeys(mod), "module."+call)
		refs := rs.ix.outputs[childPath][output]
		if len(refs) == 0 {
			return
		}
		for _, inst := range rs.modules[childPath] {
			parent, _ := parentModule(inst)
			if parent != mod || (key != "" && key != "[*]" && inst != join(mod, "module."+call)+key) {
				continue
			}
			for _, r := range refs {
				rs.resolve(inst, r, depth+1, emit)
			}
		}
		return
	}
	rr, ok := resolveRef(ref)
	if !ok {
		return
	}
	if rr.key != "" {
		emit(join(mod, rr.rel)+rr.key, rr.attr)
		return
	}
	for _, t := range rs.instances[mod+"|"+rr.rel] {
		emit(t, rr.attr)
	}
}

// linkRefs fills the Refs of every resource from the configuration's
// expressions. byConfig maps a configuration resource key (module path
// without instance keys | relative address) to its instances in the plan.
func linkRefs(ix *configIndex, byConfig map[string][]*graph.Resource, rs *resolver) {
	for key, list := range ix.refs {
		for _, res := range byConfig[key] {
			for _, ar := range list {
				for _, ref := range ar.refs {
					rs.resolve(res.Module, ref, 0, func(target, attr string) {
						res.Refs = append(res.Refs, graph.Ref{Attribute: ar.path, Target: target, TargetAttribute: attr})
					})
				}
			}
		}
	}
}

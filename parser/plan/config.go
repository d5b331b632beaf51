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
// paths here have no instance keys ("module.net"). Maps are keyed by
// module path, then by relative address, so that a long module path is
// stored once, not once per resource.
type configIndex struct {
	// refs: module path → relative resource address → the references of
	// the resource's expressions.
	refs map[string]map[string][]attrRefs
	// declared: module path → relative address of every resource.
	declared map[string]map[string]bool
	// written: module path → relative address → the top-level keys of the
	// resource's expressions: the arguments and nested block types its
	// configuration writes (dynamic blocks are not among them), but for
	// those written as the constant null, which sets nothing.
	written map[string]map[string]map[string]bool
	// args: module path of a called module → argument name → references
	// of the argument's expression in the calling module.
	args map[string]map[string][]string
	// outputs: module path → output name → references of its expression.
	outputs map[string]map[string][]string
	// paths is what is left of the bytes that module and attribute paths
	// may take (see pathBytesPerByte); incomplete is set when a module
	// was left out because its path did not fit.
	paths      int
	incomplete bool
}

func indexConfig(root *configModule, pathBytes int) *configIndex {
	ix := &configIndex{
		refs:     map[string]map[string][]attrRefs{},
		declared: map[string]map[string]bool{},
		written:  map[string]map[string]map[string]bool{},
		args:     map[string]map[string][]string{},
		outputs:  map[string]map[string][]string{},
		paths:    pathBytes,
	}
	ix.add(root, "", 0)
	return ix
}

// isDeclared reports whether the configuration declares a resource.
func (ix *configIndex) isDeclared(modPath, rel string) bool { return ix.declared[modPath][rel] }

// maxModuleDepth bounds the walk of module_calls and of references through
// module arguments and outputs.
const maxModuleDepth = 64

func (ix *configIndex) add(m *configModule, modPath string, depth int) {
	if m == nil {
		return
	}
	if depth > maxModuleDepth {
		ix.incomplete = true
		return
	}
	refs, declared, written := map[string][]attrRefs{}, map[string]bool{}, map[string]map[string]bool{}
	ix.refs[modPath], ix.declared[modPath], ix.written[modPath] = refs, declared, written
	for _, r := range m.Resources {
		rel := relAddr(r.Mode, r.Type, r.Name)
		declared[rel] = true
		if written[rel] == nil {
			written[rel] = map[string]bool{}
		}
		for name, raw := range r.Expressions {
			if !nullConstant(raw) {
				written[rel][name] = true
			}
		}
		for _, name := range sortedKeys(r.Expressions) {
			refs[rel] = append(refs[rel], ix.expressionRefs(r.Expressions[name], name)...)
		}
	}
	for _, name := range sortedKeys(m.Outputs) {
		if ix.outputs[modPath] == nil {
			ix.outputs[modPath] = map[string][]string{}
		}
		ix.outputs[modPath][name] = flatRefs(ix.expressionRefs(m.Outputs[name].Expression, ""))
	}
	for _, name := range sortedKeys(m.ModuleCalls) {
		call := m.ModuleCalls[name]
		if n := len(modPath) + len(".module.") + len(name); n > ix.paths {
			ix.incomplete = true
			continue
		} else {
			ix.paths -= n
		}
		child := join(modPath, "module."+name)
		args := map[string][]string{}
		for _, arg := range sortedKeys(call.Expressions) {
			args[arg] = flatRefs(ix.expressionRefs(call.Expressions[arg], arg))
		}
		ix.args[child] = args
		ix.add(call.Module, child, depth+1)
	}
}

// nullConstant reports whether an expression is the constant null
// ({"constant_value": null}): written, it sets nothing. Only a short
// expression is decoded (any other is not null).
func nullConstant(raw json.RawMessage) bool {
	if len(raw) > 256 || !bytes.Contains(raw, []byte(`"constant_value"`)) {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || len(m) != 1 {
		return false
	}
	v, ok := m["constant_value"]
	return ok && string(bytes.TrimSpace(v)) == "null"
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
func (ix *configIndex) expressionRefs(raw json.RawMessage, path string) []attrRefs {
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
	ix.exprRefs(v, path, 0, &out)
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
// single, or map keyed by the block's key). Below maxRangeDepth, or when
// the path budget is spent, the references inside a block are those of the
// block's path: none is lost, and paths take memory linear in the file.
func (ix *configIndex) exprRefs(v any, path string, depth int, out *[]attrRefs) {
	switch x := v.(type) {
	case []any:
		for i, el := range x {
			if m, ok := el.(map[string]any); ok {
				ix.blockRefs(m, ix.extend(path, strconv.Itoa(i), depth), depth+1, out)
			}
		}
	case map[string]any:
		if refs, ok := expression(x); ok {
			if refs = significant(refs); len(refs) > 0 {
				*out = append(*out, attrRefs{path: path, refs: refs})
			}
			return
		}
		ix.blockRefs(x, path, depth, out)
	}
}

func (ix *configIndex) blockRefs(m map[string]any, prefix string, depth int, out *[]attrRefs) {
	for _, k := range sortedKeys(m) {
		ix.exprRefs(m[k], ix.extend(prefix, k, depth), depth+1, out)
	}
}

// extend is path with one more step, or path itself below maxRangeDepth or
// when the step does not fit in the path budget.
func (ix *configIndex) extend(path, step string, depth int) string {
	n := len(path) + 1 + len(step)
	if depth >= maxRangeDepth || n > ix.paths {
		return path
	}
	ix.paths -= n
	return join(path, step)
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
// longest says what was read. The references are looked up in a sorted
// copy, so that a list of n costs n log n, not n².
func significant(refs []string) []string {
	sorted := append([]string(nil), refs...)
	sort.Strings(sorted)
	extended := func(r string, sep byte) bool {
		p := r + string(sep)
		i := sort.SearchStrings(sorted, p)
		return i < len(sorted) && strings.HasPrefix(sorted[i], p)
	}
	var out []string
	for _, r := range refs {
		if !extended(r, '.') && !extended(r, '[') {
			out = append(out, r)
		}
	}
	return out
}

// MaxReferences bounds the work of finding the edges of a plan: each
// reference looked up for a resource instance (and each 256 bytes of its
// text and of the module address it is looked up in), each edge, and each
// target gathered on the way through module arguments and outputs count
// one. A
// configuration written to multiply them (every instance of one resource
// referring to every instance of another, arguments and outputs that
// refer to each other) ends with an error diagnostic.
const MaxReferences = 4_000_000

// maxReferences is MaxReferences; tests lower it.
var maxReferences = MaxReferences

// resolver turns references, written in a module instance, into edges to
// resource instances of the plan, following module arguments (var.x in a
// called module is what the caller passes) and module outputs
// (module.net.sg_id is what the output's expression refers to).
type resolver struct {
	ix *configIndex
	// instances: module instance address + "|" + relative address →
	// resource instance addresses, sorted.
	instances map[string][]string
	// children: a module instance and the name of a call in it → the
	// instances of the called module, sorted.
	children map[moduleCall][]string
	// memo holds what each reference, in each module instance, resolves
	// to; active the references being resolved (a configuration whose
	// arguments and outputs refer to each other has cycles).
	memo   map[moduleRef][]target
	active map[moduleRef]bool
	// spent counts the targets gathered, against MaxReferences.
	spent int
	// exists holds the address of every resource instance.
	exists map[string]bool
}

type moduleCall struct{ parent, call string }

type moduleRef struct{ mod, ref string }

// target is a resource instance address and the attribute read from it.
type target struct{ addr, attr string }

func newResolver(ix *configIndex, resources []*graph.Resource) *resolver {
	rs := &resolver{ix: ix, instances: map[string][]string{}, children: map[moduleCall][]string{},
		memo: map[moduleRef][]target{}, active: map[moduleRef]bool{}, exists: map[string]bool{}}
	seen := map[string]bool{}
	for _, r := range resources {
		rs.exists[r.Address] = true
		k := r.Module + "|" + relAddr(r.Mode, r.Type, r.Name)
		rs.instances[k] = append(rs.instances[k], r.Address)
		// A module address deeper than any configuration is not followed:
		// each step up parses the whole address.
		m := r.Module
		for depth := 0; m != "" && !seen[m] && depth <= maxModuleDepth; depth++ {
			seen[m] = true
			parent, call := parentModule(m)
			if call == "" {
				break
			}
			c := moduleCall{parent, call}
			rs.children[c] = append(rs.children[c], m)
			m = parent
		}
	}
	for _, l := range rs.instances {
		sort.Strings(l)
	}
	for _, l := range rs.children {
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

// resolve returns the resource instances (and attributes) that ref,
// written in module instance mod, refers to, each once; false when
// MaxReferences is reached.
func (rs *resolver) resolve(mod, ref string) ([]target, bool) {
	k := moduleRef{mod, ref}
	if t, ok := rs.memo[k]; ok {
		return t, true
	}
	if rs.active[k] || len(rs.active) > maxModuleDepth {
		return nil, true // a cycle, or a chain deeper than any configuration
	}
	rs.active[k] = true
	out, ok := rs.follow(mod, ref)
	delete(rs.active, k)
	rs.memo[k] = out
	return out, ok
}

// follow is resolve without the memo.
func (rs *resolver) follow(mod, ref string) ([]target, bool) {
	steps, ok := parseSteps(ref)
	if !ok || len(steps) < 2 || steps[1].name == "" {
		return nil, true
	}
	var out []target
	seen := map[target]bool{}
	gather := func(mod, ref string) bool {
		list, ok := rs.resolve(mod, ref)
		for _, t := range list {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
		return rs.spend(stepCost(mod, ref, len(list))) && ok
	}
	switch steps[0].name {
	case "var":
		if mod == "" {
			return nil, true
		}
		parent, _ := parentModule(mod)
		for _, r := range rs.ix.args[withoutKeys(mod)][steps[1].name] {
			if !gather(parent, r) {
				return out, false
			}
		}
		return out, true
	case "module":
		call := steps[1].name
		next, key := 2, ""
		if next < len(steps) && steps[next].index != "" {
			key = steps[next].index
			next++
		}
		if next >= len(steps) || steps[next].name == "" {
			return nil, true // the whole module object: no single output to follow
		}
		refs := rs.ix.outputs[join(withoutKeys(mod), "module."+call)][steps[next].name]
		if len(refs) == 0 {
			return nil, true
		}
		for _, inst := range rs.children[moduleCall{mod, call}] {
			if key != "" && key != "[*]" && inst != join(mod, "module."+call)+key {
				continue
			}
			for _, r := range refs {
				if !gather(inst, r) {
					return out, false
				}
			}
		}
		return out, true
	}
	rr, ok := resolveRef(ref)
	if !ok {
		return nil, true
	}
	if rr.key != "" {
		return []target{{join(mod, rr.rel) + rr.key, rr.attr}}, true
	}
	list := rs.instances[mod+"|"+rr.rel]
	out = make([]target, len(list))
	for i, t := range list {
		out[i] = target{t, rr.attr}
	}
	return out, rs.spend(len(out))
}

// instanceKey is the instance key of the last step of an address
// (`aws_x.y["a"]` gives `["a"]`), "" when it has none.
func instanceKey(addr string) string {
	return addr[len(withoutLastKey(addr)):]
}

// readsInstanceKey reports whether an expression reads count.index or
// each: aws_x.y[count.index].id is written to the plan's configuration as
// the references aws_x.y and count.index.
func readsInstanceKey(refs []string) bool {
	for _, r := range refs {
		if r == "count.index" || r == "each.key" || r == "each.value" || strings.HasPrefix(r, "each.value.") || strings.HasPrefix(r, "each.value[") {
			return true
		}
	}
	return false
}

// sameKey is the instance with the given key of the resource that ref,
// written in module instance mod without a key of its own, names; false
// when ref names a key, is not a resource, or there is no such instance.
func (rs *resolver) sameKey(mod, ref, key string) (target, bool) {
	rr, ok := resolveRef(ref)
	if !ok || rr.key != "" || strings.HasSuffix(ref, "[*]") || strings.Contains(ref, "[*].") {
		return target{}, false
	}
	addr := join(mod, rr.rel) + key
	if !rs.exists[addr] {
		return target{}, false
	}
	return target{addr, rr.attr}, true
}

// stepCost is what looking up ref in module instance mod, giving n
// targets, counts against MaxReferences: one for the lookup, one per 256
// bytes of the strings it hashes and builds, and one per target.
func stepCost(mod, ref string, n int) int {
	return 1 + (len(mod)+len(ref))/256 + n
}

// spend counts n against MaxReferences.
func (rs *resolver) spend(n int) bool {
	rs.spent += n
	return rs.spent <= maxReferences
}

// linkRefs fills the Refs of every resource from the configuration's
// expressions. byConfig maps a module path without instance keys and a
// relative address to the resource's instances in the plan. Each reference
// looked up for an instance, and each edge, count against MaxReferences;
// it returns false when it stopped there.
func linkRefs(ix *configIndex, byConfig map[string]map[string][]*graph.Resource, rs *resolver) bool {
	for _, mod := range sortedKeys(ix.refs) {
		refs := ix.refs[mod]
		for _, rel := range sortedKeys(refs) {
			for _, res := range byConfig[mod][rel] {
				key := instanceKey(res.Address)
				for _, ar := range refs[rel] {
					byKey := key != "" && readsInstanceKey(ar.refs)
					for _, ref := range ar.refs {
						if byKey {
							if t, ok := rs.sameKey(res.Module, ref, key); ok {
								res.Refs = append(res.Refs, graph.Ref{Attribute: ar.path, Target: t.addr, TargetAttribute: t.attr})
								if !rs.spend(stepCost(res.Module, ref, 1)) {
									return false
								}
								continue
							}
						}
						list, ok := rs.resolve(res.Module, ref)
						for _, t := range list {
							res.Refs = append(res.Refs, graph.Ref{Attribute: ar.path, Target: t.addr, TargetAttribute: t.attr})
						}
						if !ok || !rs.spend(stepCost(res.Module, ref, len(list))) {
							return false
						}
					}
				}
			}
		}
	}
	return true
}

package cloudformation

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// vkind is the kind of an evaluated value.
type vkind uint8

const (
	vNull    vkind = iota
	vString        // text
	vNumber        // text is a JSON number literal
	vBool          // text is "true" or "false"
	vList          // items
	vMap           // keys, fields
	vUnknown       // not known statically
	vNoValue       // AWS::NoValue: the property or element is removed
)

// value is the result of evaluating a template node. Values are never
// modified after they are made: a function that passes a value on with
// another range copies it (restamp).
type value struct {
	kind   vkind
	text   string
	items  []*value
	keys   []string
	fields map[string]*value
	// rng is where the value is written: the literal, or the intrinsic
	// function that produced it.
	rng graph.Range
	// sensitive is set on a value that came from a NoEcho parameter (or was
	// computed from one); it covers everything below.
	sensitive bool
	// origins is the provenance of the value (parameter defaults and
	// parameter files); it covers everything below.
	origins []graph.Origin
	// links are the references to other resources (and the imports) found in
	// the expression that produced the value, recorded at the value's path.
	links []link
}

// link is a reference from a value to another resource, or an import of an
// exported value.
type link struct {
	target string // logical ID of the referenced resource
	attr   string // "Ref", or the attribute of Fn::GetAtt
	// imp marks an Fn::ImportValue; export is the export's name when known.
	imp    bool
	export string
	rng    graph.Range
}

func unknownAt(rng graph.Range) *value { return &value{kind: vUnknown, rng: rng} }

func stringAt(s string, rng graph.Range) *value { return &value{kind: vString, text: s, rng: rng} }

// known reports whether v and everything below it is known.
func (v *value) known() bool {
	switch v.kind {
	case vUnknown:
		return false
	case vList:
		for _, it := range v.items {
			if !it.known() {
				return false
			}
		}
	case vMap:
		for _, k := range v.keys {
			if !v.fields[k].known() {
				return false
			}
		}
	}
	return true
}

// isScalar reports whether v is a string, number or boolean.
func (v *value) isScalar() bool {
	return v.kind == vString || v.kind == vNumber || v.kind == vBool
}

// anySensitive reports whether v or a part of it is sensitive.
func (v *value) anySensitive() bool {
	if v.sensitive {
		return true
	}
	for _, it := range v.items {
		if it.anySensitive() {
			return true
		}
	}
	for _, k := range v.keys {
		if v.fields[k].anySensitive() {
			return true
		}
	}
	return false
}

// sensitiveCopy returns v with v and every part of it sensitive: v itself
// when it is so already, else a copy (values are never modified once
// made). The invariant it keeps: every part of a sensitive value is
// sensitive, so a value taken out of a NoEcho list (Fn::Select, an
// Fn::ForEach item) is still sensitive.
func sensitiveCopy(v *value) *value {
	changed := !v.sensitive
	var items []*value
	for i, it := range v.items {
		c := sensitiveCopy(it)
		if c != it && items == nil {
			items = make([]*value, len(v.items))
			copy(items, v.items[:i])
			changed = true
		}
		if items != nil {
			items[i] = c
		}
	}
	var fields map[string]*value
	for _, k := range v.keys {
		f := v.fields[k]
		if c := sensitiveCopy(f); c != f {
			if fields == nil {
				fields = make(map[string]*value, len(v.fields))
				for k2, f2 := range v.fields {
					fields[k2] = f2
				}
				changed = true
			}
			fields[k] = c
		}
	}
	if !changed {
		return v
	}
	c := *v
	c.sensitive = true
	if items != nil {
		c.items = items
	}
	if fields != nil {
		c.fields = fields
	}
	return &c
}

// allOrigins collects the origins of v and of everything below it.
func (v *value) allOrigins(out []graph.Origin) []graph.Origin {
	out = appendOrigins(out, v.origins...)
	for _, it := range v.items {
		out = it.allOrigins(out)
	}
	for _, k := range v.keys {
		out = v.fields[k].allOrigins(out)
	}
	return out
}

// allLinks collects the links of v and of everything below it.
func (v *value) allLinks(out []link) []link {
	out = append(out, v.links...)
	for _, it := range v.items {
		out = it.allLinks(out)
	}
	for _, k := range v.keys {
		out = v.fields[k].allLinks(out)
	}
	return out
}

func appendOrigins(out []graph.Origin, add ...graph.Origin) []graph.Origin {
	for _, o := range add {
		dup := false
		for _, p := range out {
			if p.Kind == o.Kind && p.Description == o.Description && p.Range == o.Range {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, o)
		}
	}
	return out
}

// restamp returns a copy of v whose every part is located at rng: a value
// that an intrinsic function produced from values written elsewhere (a
// parameter's default, a mapping) is located where the function is called.
// Links below v are dropped (the caller records them on the result);
// sensitivity and origins are kept.
func restamp(v *value, rng graph.Range) *value {
	c := *v
	c.rng = rng
	c.links = nil
	if v.items != nil {
		c.items = make([]*value, len(v.items))
		for i, it := range v.items {
			c.items[i] = restamp(it, rng)
		}
	}
	if v.fields != nil {
		c.fields = make(map[string]*value, len(v.fields))
		for k, f := range v.fields {
			c.fields[k] = restamp(f, rng)
		}
	}
	return &c
}

// scalarText returns the text of a scalar value as CloudFormation would
// write it into a string.
func (v *value) scalarText() (string, bool) {
	if v.isScalar() {
		return v.text, true
	}
	return "", false
}

// numberValue normalises a number literal to JSON's number syntax. YAML
// allows forms JSON does not (0x1F, 0o17, +1, 1_000, .5); those are
// converted. A literal that is not a finite number stays a string.
func numberValue(lit string, rng graph.Range) *value {
	if isJSONNumber(lit) {
		return &value{kind: vNumber, text: lit, rng: rng}
	}
	s := strings.ReplaceAll(lit, "_", "")
	s = strings.TrimPrefix(s, "+")
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	if strings.HasPrefix(s, "0o") || strings.HasPrefix(s, "0O") {
		s = "0o" + s[2:]
	}
	if i, err := strconv.ParseInt(s, 0, 64); err == nil {
		if neg {
			i = -i
		}
		return &value{kind: vNumber, text: strconv.FormatInt(i, 10), rng: rng}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "iInN") {
		if neg {
			f = -f
		}
		t := strconv.FormatFloat(f, 'g', -1, 64)
		if isJSONNumber(t) {
			return &value{kind: vNumber, text: t, rng: rng}
		}
	}
	return &value{kind: vString, text: lit, rng: rng}
}

// isJSONNumber reports whether s is a number in JSON's syntax.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(s)
}

// resourceTrees fills a resource's Values, Unknown, Sensitive, Ranges,
// Origins and Refs from its evaluated properties, in plan JSON's
// after / after_unknown / after_sensitive conventions: nulls are dropped
// from objects, unknown leaves are omitted from Values (null in lists) and
// true in Unknown.
type resourceTrees struct {
	res     *graph.Resource
	imports []any
}

func (b *resourceTrees) fill(props *value) {
	b.res.Values, b.res.Unknown, b.res.Sensitive = map[string]any{}, map[string]any{}, map[string]any{}
	if props == nil {
		return
	}
	if props.kind != vMap {
		// Properties as a whole are unknown (an Fn::If on an unknown
		// condition); the references found in them belong to the resource.
		b.record(props, "")
		if props.kind == vUnknown {
			b.res.Meta["properties_unknown"] = true
		}
		return
	}
	b.record(props, "")
	for _, k := range props.keys {
		kv, ku, ks := b.walk(props.fields[k], k)
		if kv != nil {
			b.res.Values[k] = kv
		}
		if ku != nil {
			b.res.Unknown[k] = ku
		}
		if ks != nil {
			b.res.Sensitive[k] = ks
		}
	}
	if len(b.imports) > 0 {
		b.res.Meta["imports"] = b.imports
	}
}

// record notes the links and origins of v at path (not its range: the
// properties mapping itself is located by the resource's range).
func (b *resourceTrees) record(v *value, path string) {
	for _, l := range v.links {
		if l.imp {
			imp := map[string]any{"attribute": path}
			if l.export != "" {
				imp["export"] = l.export
			}
			b.imports = append(b.imports, imp)
			continue
		}
		b.res.Refs = append(b.res.Refs, graph.Ref{Attribute: path, Target: l.target, TargetAttribute: l.attr, Range: l.rng})
	}
	if len(v.origins) > 0 {
		b.res.Origins[path] = appendOrigins(b.res.Origins[path], v.origins...)
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// walk returns the known part of v (nil when null or unknown), its unknown
// part (true, a nested structure, or nil when wholly known) and its
// sensitive part, recording ranges, origins and references on the way.
func (b *resourceTrees) walk(v *value, path string) (known, unknown, sensitive any) {
	if !v.rng.IsZero() {
		b.res.Ranges[path] = v.rng
	}
	b.record(v, path)
	if v.sensitive {
		sensitive = true
	}
	switch v.kind {
	case vString:
		return v.text, nil, sensitive
	case vNumber:
		return json.Number(v.text), nil, sensitive
	case vBool:
		return v.text == "true", nil, sensitive
	case vUnknown:
		return nil, true, sensitive
	case vList:
		list := make([]any, len(v.items))
		unk := make([]any, len(v.items))
		sens := make([]any, len(v.items))
		anyUnknown, anySens := false, false
		for i, it := range v.items {
			k, u, s := b.walk(it, joinPath(path, strconv.Itoa(i)))
			list[i] = k
			if u != nil {
				unk[i], anyUnknown = u, true
			} else {
				unk[i] = false
			}
			if s != nil {
				sens[i], anySens = s, true
			} else {
				sens[i] = false
			}
		}
		if anyUnknown {
			unknown = unk
		}
		if anySens && sensitive == nil {
			sensitive = sens
		}
		return list, unknown, sensitive
	case vMap:
		m := map[string]any{}
		um := map[string]any{}
		sm := map[string]any{}
		for _, key := range v.keys {
			k, u, s := b.walk(v.fields[key], joinPath(path, key))
			if k != nil {
				m[key] = k
			}
			if u != nil {
				um[key] = u
			}
			if s != nil {
				sm[key] = s
			}
		}
		if len(um) > 0 {
			unknown = um
		}
		if len(sm) > 0 && sensitive == nil {
			sensitive = sm
		}
		return m, unknown, sensitive
	}
	return nil, nil, sensitive
}

package terraform

import (
	"encoding/json"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// sensitiveMark is the cty mark of a value declared sensitive.
type sensitiveMark struct{}

// toTree converts an evaluated object into plan JSON's three parallel trees:
// known values (nulls and unknown leaves dropped), unknown (true at unknown
// leaves) and sensitive (true at sensitive leaves). It unmarks each part
// as it goes, so no marked value reaches a call that would panic on it:
// one walk, where unmarking the whole value first (UnmarkDeep) would
// build a copy of it.
func toTree(v cty.Value) (values, unknown, sensitive map[string]any) {
	values, unknown, sensitive = map[string]any{}, map[string]any{}, map[string]any{}
	u, _ := v.Unmark()
	if !u.IsKnown() || u.IsNull() || !u.Type().IsObjectType() && !u.Type().IsMapType() {
		return values, unknown, sensitive
	}
	kv, ku, ks := toPlain(v)
	if m, ok := kv.(map[string]any); ok {
		values = m
	}
	if m, ok := ku.(map[string]any); ok {
		unknown = m
	}
	if m, ok := ks.(map[string]any); ok { // not when the whole value is sensitive (true)
		sensitive = m
	}
	return values, unknown, sensitive
}

// toPlain returns the known part of v (nil when v is null or unknown), its
// unknown part (true, a nested structure, or nil when wholly known) and
// its sensitive part, in the shape of plan JSON's after_sensitive (true
// where v or a part of it is marked sensitive, a nested structure, or nil
// when nothing is). v may be marked, its parts too.
func toPlain(v cty.Value) (known, unknown, sensitive any) {
	if v.IsMarked() {
		if v.HasMark(sensitiveMark{}) {
			sensitive = true
		}
		v, _ = v.Unmark()
	}
	if !v.IsKnown() {
		return nil, true, sensitive
	}
	if v.IsNull() {
		return nil, nil, sensitive
	}
	secret := sensitive != nil // the parts of a sensitive value are not listed
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString(), nil, sensitive
	case ty == cty.Number:
		bf := v.AsBigFloat()
		if bf.IsInf() {
			return nil, true, sensitive // log(0, 2): not a number JSON or a policy can hold
		}
		if i, acc := bf.Int64(); acc == big.Exact && bf.Sign() != 0 {
			return json.Number(strconv.FormatInt(i, 10)), nil, sensitive // shortest-decimal formatting is slow on computed numbers
		}
		return json.Number(bf.Text('f', -1)), nil, sensitive
	case ty == cty.Bool:
		return v.True(), nil, sensitive
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		list := make([]any, 0, v.LengthInt())
		var unk, sens []any
		anyUnknown, anySensitive := false, false
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			k, u, s := toPlain(ev)
			list = append(list, k)
			if u != nil {
				anyUnknown = true
				unk = append(unk, u)
			} else {
				unk = append(unk, false)
			}
			if s != nil {
				anySensitive = true
			} else {
				s = false
			}
			sens = append(sens, s)
		}
		if !anyUnknown {
			unk = nil
		}
		if !secret && anySensitive {
			sensitive = sens
		}
		if unk == nil {
			return list, nil, sensitive
		}
		return list, unk, sensitive
	case ty.IsMapType() || ty.IsObjectType():
		m := map[string]any{}
		um := map[string]any{}
		var sm map[string]any
		for it := v.ElementIterator(); it.Next(); {
			kv, ev := it.Element()
			name := kv.AsString()
			k, u, s := toPlain(ev)
			if k != nil {
				m[name] = k
			}
			if u != nil {
				um[name] = u
			}
			if s != nil && !secret {
				if sm == nil {
					sm = map[string]any{}
				}
				sm[name] = s
			}
		}
		if sm != nil {
			sensitive = sm
		}
		if len(um) == 0 {
			return m, nil, sensitive
		}
		return m, um, sensitive
	}
	// Capsule types and anything else cannot be represented.
	return nil, true, sensitive
}

// origins collects the provenance marks of every part of v by attribute
// path, ordered from where the value was first written to where it was
// last passed on. A part inside a sensitive value is recorded at the
// sensitive value's path: a path must not show a sensitive map key.
func (st *resolver) origins(v cty.Value) map[string][]graph.Origin {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := map[string][]graph.Origin{}
	uv, pvms := v.UnmarkDeepWithPaths()
	var secret []cty.Path
	for _, pvm := range pvms {
		if _, ok := pvm.Marks[sensitiveMark{}]; ok {
			secret = append(secret, pvm.Path)
		}
	}
	byPath := map[string]map[*originMark]bool{}
	for _, pvm := range pvms {
		var p string
		pathDone := false
		for m := range pvm.Marks {
			var om *originMark
			switch x := m.(type) {
			case *originMark:
				om = x
			case *literalMark:
				if secretAt(pvm.Path, secret) || !holdsLiteral(uv, pvm.Path) {
					continue
				}
				om = st.literalOrigin(x)
			default:
				continue
			}
			if !pathDone {
				p, pathDone = pathString(outsideSecrets(pvm.Path, secret)), true
			}
			if byPath[p] == nil {
				byPath[p] = map[*originMark]bool{}
			}
			byPath[p][om] = true
		}
	}
	for p, marks := range byPath {
		// A value inside a marked container came through the container's
		// hops too: an element of a list passed as a module argument.
		ms := make([]*originMark, 0, len(marks))
		for m := range marks {
			ms = append(ms, m)
		}
		for _, q := range prefixes(p) {
			for m := range byPath[q] {
				if !marks[m] {
					ms = append(ms, m)
				}
			}
		}
		sort.Slice(ms, func(i, j int) bool { return markLess(*ms[i], *ms[j]) })
		for i, m := range ms {
			// Hops written at the same place (six instances of one module
			// passing one value) are one hop.
			if i > 0 && ms[i-1].file == m.file && ms[i-1].sb == m.sb && ms[i-1].eb == m.eb && ms[i-1].kind == m.kind {
				continue
			}
			out[p] = append(out[p], st.originOf(m))
		}
	}
	return out
}

// holdsLiteral reports whether the part of v at p can hold a literal's
// value: a scalar, or a list of strings (split of a literal). A literal
// on an object or a map came there as the condition of a conditional or
// a for expression's if: it decided the value, it is not in it. A
// sensitive literal is no location to show either (checked by the caller).
func holdsLiteral(v cty.Value, p cty.Path) bool {
	x, err := p.Apply(v)
	if err != nil || !x.IsKnown() || x.IsNull() {
		return false
	}
	ty := x.Type()
	switch {
	case ty.IsPrimitiveType():
		return true
	case ty.IsListType() || ty.IsSetType():
		return ty.ElementType() == cty.String
	case ty.IsTupleType():
		for _, et := range ty.TupleElementTypes() {
			if et != cty.String {
				return false
			}
		}
		return true
	}
	return false
}

// originOf converts a mark into a graph origin, once per mark.
func (st *resolver) originOf(m *originMark) graph.Origin {
	if o, ok := st.converted[m]; ok {
		return o
	}
	if st.converted == nil {
		st.converted = map[*originMark]graph.Origin{}
	}
	o := m.origin()
	st.converted[m] = o
	return o
}

// markLess orders hops from where a value was first written to where it
// was last passed on: by module depth, the literal first, then variable
// values before the arguments that pass them on.
func markLess(a, b originMark) bool {
	if a.depth != b.depth {
		return a.depth < b.depth
	}
	if a.literal != b.literal {
		return a.literal
	}
	if originRank(a.kind) != originRank(b.kind) {
		return originRank(a.kind) < originRank(b.kind)
	}
	if a.file != b.file {
		return a.file < b.file
	}
	if a.sb != b.sb {
		return a.sb < b.sb
	}
	if a.kind != b.kind {
		return a.kind < b.kind
	}
	return a.desc < b.desc
}

// secretAt reports whether p is at or inside a sensitive path.
func secretAt(p cty.Path, secret []cty.Path) bool {
	for _, s := range secret {
		if len(s) <= len(p) && s.Equals(p[:len(s)]) {
			return true
		}
	}
	return false
}

// outsideSecrets cuts p at the shortest sensitive path that is a prefix
// of it.
func outsideSecrets(p cty.Path, secret []cty.Path) cty.Path {
	cut := len(p)
	for _, s := range secret {
		if len(s) < cut && s.Equals(p[:len(s)]) {
			cut = len(s)
		}
	}
	return p[:cut]
}

// pathString renders a cty path in the dotted form of attribute paths.
func pathString(p cty.Path) string {
	var b strings.Builder
	for _, step := range p {
		var part string
		switch s := step.(type) {
		case cty.GetAttrStep:
			part = s.Name
		case cty.IndexStep:
			k, _ := s.Key.Unmark()
			switch {
			case !k.IsKnown() || k.IsNull():
				part = "*"
			case k.Type() == cty.String:
				part = k.AsString()
			case k.Type() == cty.Number:
				part = numberText(k.AsBigFloat())
			}
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(part)
	}
	return b.String()
}

// numberText is bf.Text('f', -1), the shortest decimal that reads back as
// bf, without the shortest-decimal search for a whole number of int64
// range (nearly every number a configuration holds), which is slow.
func numberText(bf *big.Float) string {
	if i, acc := bf.Int64(); acc == big.Exact && bf.Sign() != 0 {
		return strconv.FormatInt(i, 10)
	}
	return bf.Text('f', -1)
}

// prefixes returns the proper prefixes of a dotted path, "" included.
func prefixes(p string) []string {
	if p == "" {
		return nil
	}
	out := []string{""}
	for i := 0; i < len(p); i++ {
		if p[i] == '.' {
			out = append(out, p[:i])
		}
	}
	return out
}

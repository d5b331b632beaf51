package policies

import (
	"encoding/binary"
	"encoding/json"
	"sort"
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// InputSchemaVersion is the version of the Rego input document. It changes
// only when the document changes incompatibly.
const InputSchemaVersion = 1

// Input builds the Rego input document of a graph: resources keyed by
// address, values in plan JSON's after / after_unknown / after_sensitive
// conventions, references as addresses (never embedded objects, so the
// document is a tree). See docs/input-schema.md.
func Input(g *graph.Graph) map[string]any {
	return input(g, func(r *graph.Resource) map[string]any { return r.Values })
}

// input builds the input document with the values that values gives for
// each resource.
func input(g *graph.Graph, values func(*graph.Resource) map[string]any) map[string]any {
	resources := make(map[string]any, len(g.Resources))
	for _, r := range g.Resources {
		refs := make([]any, 0, len(r.Refs))
		for _, ref := range r.Refs {
			refs = append(refs, map[string]any{
				"attribute":        ref.Attribute,
				"target":           ref.Target,
				"target_attribute": ref.TargetAttribute,
			})
		}
		back := make([]any, 0, len(r.ReferencedBy))
		for _, ref := range r.ReferencedBy {
			back = append(back, map[string]any{
				"attribute":        ref.Attribute,
				"source":           ref.Target,
				"target_attribute": ref.TargetAttribute,
			})
		}
		meta := r.Meta
		if meta == nil {
			meta = map[string]any{}
		}
		resources[r.Address] = map[string]any{
			"address":       r.Address,
			"mode":          r.Mode,
			"type":          r.Type,
			"name":          r.Name,
			"format":        string(r.Format),
			"module":        r.Module,
			"provider":      r.Provider,
			"values":        orEmpty(values(r)),
			"unknown":       orEmpty(r.Unknown),
			"sensitive":     orEmpty(r.Sensitive),
			"references":    refs,
			"referenced_by": back,
			"meta":          meta,
			"location": map[string]any{
				"file":       r.Range.File,
				"start_line": r.Range.Start.Line,
				"end_line":   r.Range.End.Line,
			},
		}
	}
	return map[string]any{
		"schema_version": InputSchemaVersion,
		"format":         string(g.Format),
		"root":           g.Root,
		"resources":      resources,
	}
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// inputValue builds the input document of g as an OPA value, the same value
// ast.InterfaceToValue(input(g, values)) is, without that intermediate
// document, and with each distinct scalar, array and object built once and
// shared wherever it occurs (see termBuilder): on a large root most of what
// resources hold repeats (types, files, empty maps, blocks written alike),
// and the input is held for the whole evaluation.
func inputValue(g *graph.Graph, values func(*graph.Resource) map[string]any) (ast.Value, error) {
	b := newTermBuilder()
	resources := make([][2]*ast.Term, 0, len(g.Resources))
	for _, r := range g.Resources {
		t, err := b.resource(r, values(r))
		if err != nil {
			return nil, err
		}
		resources = append(resources, [2]*ast.Term{b.str(r.Address).term, t})
	}
	doc := ast.NewObject(
		[2]*ast.Term{b.str("schema_version").term, ast.InternedTerm(InputSchemaVersion)},
		[2]*ast.Term{b.str("format").term, b.str(string(g.Format)).term},
		[2]*ast.Term{b.str("root").term, b.str(g.Root).term},
		[2]*ast.Term{b.str("resources").term, ast.NewTerm(ast.NewObject(resources...))},
	)
	return doc, nil
}

// built is a term and its identity: two built terms with the same id are
// the same term (the converse does not hold: 1 and 1.0 are equal numbers
// of two ids).
type built struct {
	term *ast.Term
	id   uint64
}

// termBuilder builds OPA terms from plain values (graph.Resource values
// trees), hash-consed: a scalar is shared by its text, an array by the ids
// of its elements, an object by the ids of its keys and values, so that
// each distinct value is built once per document. OPA never changes a
// value it is given (the input is shared by every query already), so
// sharing a term between places in the document is invisible to rules.
type termBuilder struct {
	next  uint64
	strs  map[string]built
	nums  map[string]built
	comps map[string]built
	key   []byte
	keys  []string // scratch for sorting an object's keys
}

func newTermBuilder() *termBuilder {
	return &termBuilder{strs: map[string]built{}, nums: map[string]built{}, comps: map[string]built{}}
}

func (b *termBuilder) fresh(t *ast.Term) built {
	b.next++
	return built{t, b.next}
}

func (b *termBuilder) str(s string) built {
	if x, ok := b.strs[s]; ok {
		return x
	}
	x := b.fresh(ast.InternedTerm(s))
	b.strs[s] = x
	return x
}

// The ids of the constants, given before any other.
const (
	idNull uint64 = iota + 1<<62
	idFalse
	idTrue
)

// value builds the term of a plain value: what ast.InterfaceToValue gives.
func (b *termBuilder) value(v any) (built, error) {
	switch x := v.(type) {
	case nil:
		return built{ast.NullTerm(), idNull}, nil
	case bool:
		if x {
			return built{ast.InternedTerm(true), idTrue}, nil
		}
		return built{ast.InternedTerm(false), idFalse}, nil
	case string:
		return b.str(x), nil
	case json.Number:
		if y, ok := b.nums[string(x)]; ok {
			return y, nil
		}
		var t *ast.Term
		if t = ast.InternedIntNumberTermFromString(string(x)); t == nil {
			n, err := ast.NumberChecked(string(x))
			if err != nil {
				return built{}, err
			}
			t = ast.NewTerm(n)
		}
		y := b.fresh(t)
		b.nums[string(x)] = y
		return y, nil
	case int:
		return b.int(x), nil
	case []any:
		elems := make([]*ast.Term, len(x))
		ids := make([]uint64, len(x))
		for i, e := range x {
			y, err := b.value(e)
			if err != nil {
				return built{}, err
			}
			elems[i], ids[i] = y.term, y.id
		}
		return b.array(elems, ids), nil
	case map[string]any:
		keys := b.keys[:0]
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		kvs := make([][2]*ast.Term, len(keys))
		ids := make([]uint64, 2*len(keys))
		for i, k := range keys {
			kb := b.str(k)
			kvs[i][0], ids[2*i] = kb.term, kb.id
		}
		b.keys = keys[:0]
		for i := range kvs {
			// The scratch keys are a nested object's now: the key is
			// read from its term.
			y, err := b.value(x[string(kvs[i][0].Value.(ast.String))])
			if err != nil {
				return built{}, err
			}
			kvs[i][1], ids[2*i+1] = y.term, y.id
		}
		return b.object(kvs, ids), nil
	default:
		// Types the graph's trees do not hold (ints from a test, say):
		// converted as OPA does, and not shared.
		y, err := ast.InterfaceToValue(x)
		if err != nil {
			return built{}, err
		}
		return b.fresh(ast.NewTerm(y)), nil
	}
}

// array returns the shared array of the given elements.
func (b *termBuilder) array(elems []*ast.Term, ids []uint64) built {
	k := b.compKey('a', ids)
	if y, ok := b.comps[string(k)]; ok {
		return y
	}
	y := b.fresh(ast.NewTerm(ast.NewArray(elems...)))
	b.comps[string(k)] = y
	return y
}

// object returns the shared object of the given pairs (ids: key, value,
// key, value... in an order fixed by the keys).
func (b *termBuilder) object(kvs [][2]*ast.Term, ids []uint64) built {
	k := b.compKey('o', ids)
	if y, ok := b.comps[string(k)]; ok {
		return y
	}
	y := b.fresh(ast.NewTerm(ast.NewObject(kvs...)))
	b.comps[string(k)] = y
	return y
}

func (b *termBuilder) compKey(kind byte, ids []uint64) []byte {
	b.key = append(b.key[:0], kind)
	for _, id := range ids {
		b.key = binary.AppendUvarint(b.key, id)
	}
	return b.key
}

// int returns the shared term of an integer (a line number).
func (b *termBuilder) int(n int) built {
	s := strconv.Itoa(n)
	if y, ok := b.nums[s]; ok {
		return y
	}
	t := ast.InternedIntNumberTermFromString(s)
	if t == nil {
		t = ast.NewTerm(ast.Number(s))
	}
	y := b.fresh(t)
	b.nums[s] = y
	return y
}

// tree builds a values tree: nil is the empty object.
func (b *termBuilder) tree(m map[string]any) (built, error) {
	if m == nil {
		return b.value(map[string]any{})
	}
	return b.value(m)
}

// field is a key and its value.
type field struct {
	key string
	val built
}

// fields builds the shared object of the given fields.
func (b *termBuilder) fields(fs ...field) built {
	kvs := make([][2]*ast.Term, len(fs))
	ids := make([]uint64, 0, 2*len(fs))
	for i, f := range fs {
		k := b.str(f.key)
		kvs[i] = [2]*ast.Term{k.term, f.val.term}
		ids = append(ids, k.id, f.val.id)
	}
	return b.object(kvs, ids)
}

// refs builds the list of a resource's references (the key of Ref.Target
// is "target" or, for ReferencedBy, "source").
func (b *termBuilder) refs(refs []graph.Ref, target string) built {
	elems := make([]*ast.Term, len(refs))
	ids := make([]uint64, len(refs))
	for i, ref := range refs {
		y := b.fields(field{"attribute", b.str(ref.Attribute)}, field{target, b.str(ref.Target)},
			field{"target_attribute", b.str(ref.TargetAttribute)})
		elems[i], ids[i] = y.term, y.id
	}
	return b.array(elems, ids)
}

// resource builds the object of one resource in the input document (see
// input).
func (b *termBuilder) resource(r *graph.Resource, values map[string]any) (*ast.Term, error) {
	vals, err := b.tree(values)
	if err != nil {
		return nil, err
	}
	unknown, err := b.tree(r.Unknown)
	if err != nil {
		return nil, err
	}
	sensitive, err := b.tree(r.Sensitive)
	if err != nil {
		return nil, err
	}
	meta, err := b.tree(r.Meta)
	if err != nil {
		return nil, err
	}
	location := b.fields(field{"file", b.str(r.Range.File)}, field{"start_line", b.int(r.Range.Start.Line)},
		field{"end_line", b.int(r.Range.End.Line)})
	pair := func(k string, v built) [2]*ast.Term { return [2]*ast.Term{b.str(k).term, v.term} }
	return ast.NewTerm(ast.NewObject(
		pair("address", b.str(r.Address)),
		pair("mode", b.str(r.Mode)),
		pair("type", b.str(r.Type)),
		pair("name", b.str(r.Name)),
		pair("format", b.str(string(r.Format))),
		pair("module", b.str(r.Module)),
		pair("provider", b.str(r.Provider)),
		pair("values", vals),
		pair("unknown", unknown),
		pair("sensitive", sensitive),
		pair("references", b.refs(r.Refs, "target")),
		pair("referenced_by", b.refs(r.ReferencedBy, "source")),
		pair("meta", meta),
		pair("location", location),
	)), nil
}

package cloudformation

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// forEachPrefix starts the key of an Fn::ForEach loop (AWS::LanguageExtensions):
//
//	Fn::ForEach::Tables:
//	  - TableName              # identifier
//	  - [Points, Score]        # collection
//	  - Table${TableName}:     # output key, with ${TableName} or &{TableName}
//	      Type: AWS::DynamoDB::Table
//	      Properties: {TableName: !Ref TableName}
const forEachPrefix = "Fn::ForEach::"

// maxForEachItems bounds the iterations of one Fn::ForEach.
const maxForEachItems = 10000

// binding is a loop variable of Fn::ForEach.
type binding struct {
	name  string
	val   *value
	index int // the iteration, from 0
}

// lookupVar returns the innermost loop variable called name.
func (t *tmpl) lookupVar(name string) (*value, bool) {
	for i := len(t.env) - 1; i >= 0; i-- {
		if t.env[i].name == name {
			return t.env[i].val, true
		}
	}
	return nil, false
}

// loop is a parsed Fn::ForEach.
type loop struct {
	ident string
	items []*value // nil with known false: one iteration with an unknown item
	known bool
	// sensitive is set when the collection comes from a NoEcho parameter
	// (the unknown item of an unknown collection is sensitive too).
	sensitive bool
	out       *Node // the output mapping
}

// parseLoop reads an Fn::ForEach's arguments and evaluates its collection.
func (t *tmpl) parseLoop(key, arg *Node) (loop, bool) {
	if arg == nil || arg.Kind != Sequence || len(arg.Items) != 3 || arg.Items[0].Kind != String || arg.Items[2].Kind != Mapping {
		rng := key.Range
		if arg != nil {
			rng = arg.Range
		}
		t.errorf(rng, "invalid Fn::ForEach", key.Value+" needs [identifier, collection, {output key: output value}]")
		return loop{}, false
	}
	l := loop{ident: arg.Items[0].Value, out: arg.Items[2]}
	coll := t.eval(arg.Items[1])
	l.sensitive = coll.anySensitive()
	switch {
	case coll.kind == vList && coll.known():
		for _, it := range coll.items {
			if !it.isScalar() {
				t.errorf(arg.Items[1].Range, "invalid Fn::ForEach", "the collection of "+key.Value+" must be a list of strings")
				return loop{}, false
			}
		}
		if len(coll.items) > maxForEachItems {
			t.errorf(arg.Items[1].Range, "invalid Fn::ForEach", fmt.Sprintf("the collection of %s has more than %d items", key.Value, maxForEachItems))
			return loop{}, false
		}
		l.items, l.known = coll.items, true
	case coll.kind == vUnknown || coll.kind == vList:
		// One representative iteration with an unknown item, as for an
		// unknown count in Terraform: never zero.
	default:
		t.errorf(arg.Items[1].Range, "invalid Fn::ForEach", "the collection of "+key.Value+" must be a list")
		return loop{}, false
	}
	return l, true
}

// iterations returns the loop variable of each iteration.
func (l loop) iterations(rng graph.Range) []binding {
	if !l.known {
		u := unknownAt(rng)
		u.sensitive = l.sensitive
		return []binding{{name: l.ident, val: u}}
	}
	out := make([]binding, len(l.items))
	for i, it := range l.items {
		out[i] = binding{name: l.ident, val: it, index: i}
	}
	return out
}

// substituteKey replaces ${ident} and &{ident} (the value without its
// non-alphanumeric characters) in an output key with the loop variables in
// env. An unknown variable is left as written. A value from a NoEcho
// parameter is never written into a key: it is replaced by
// "(sensitive-N)", N counting the iterations from 1 (no logical ID or
// property name contains parentheses, so these stay apart from the
// others), and hidden is set.
func substituteKey(key string, env []binding) (out string, hidden bool) {
	for i := len(env) - 1; i >= 0; i-- {
		b := env[i]
		s, ok := b.val.scalarText()
		if !ok {
			continue
		}
		dollar, amp := "${"+b.name+"}", "&{"+b.name+"}"
		if !strings.Contains(key, dollar) && !strings.Contains(key, amp) {
			continue
		}
		if b.val.anySensitive() {
			hidden = true
			p := fmt.Sprintf("(sensitive-%d)", b.index+1)
			key = strings.ReplaceAll(strings.ReplaceAll(key, dollar, p), amp, p)
			continue
		}
		key = strings.ReplaceAll(key, dollar, s)
		key = strings.ReplaceAll(key, amp, strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return r
			}
			return -1
		}, s))
	}
	return key, hidden
}

// hiddenKey reports, once per output key, that an Fn::ForEach builds a
// logical ID or a property name from a NoEcho value: as Terraform refuses a
// sensitive for_each key, the value would be shown wherever the key is.
func (t *tmpl) hiddenKey(loopKey, k *Node, what, asWritten string) {
	if t.hiddenKeys[k] {
		return
	}
	if t.hiddenKeys == nil {
		t.hiddenKeys = map[*Node]bool{}
	}
	t.hiddenKeys[k] = true
	t.errorf(k.Range, what+" from a NoEcho parameter",
		fmt.Sprintf("%s builds the %s %s from a value of a NoEcho parameter, which is never shown; "+
			"it is evaluated as %s (use a collection that is not secret)", loopKey.Value, what, k.Value, asWritten))
}

func withBinding(env []binding, b binding) []binding {
	out := make([]binding, len(env), len(env)+1)
	copy(out, env)
	return append(out, b)
}

// forEach expands an Fn::ForEach of the Resources section, calling emit for
// each output entry of each iteration (which may itself be a loop); emit
// reports whether it added a resource.
//
// An iteration that adds a resource costs nothing here: resources are
// bounded by MaxResources, and each is evaluated from its own allowance.
// One that adds none (an empty output, duplicate logical IDs, loops over
// empty collections) counts valueOverhead against the budget, and the
// expansion stops when the budget refuses it. So a template that spends
// the shared budget before an Fn::ForEach does not stop it: its
// iterations are still expanded (over an unknown item when the budget
// refuses its collection).
func (t *tmpl) forEach(key, arg *Node, env []binding, emit func(key, body *Node, id string, env []binding, expansion string) bool) {
	saved := t.env
	t.env = env
	l, ok := t.parseLoop(key, arg)
	t.env = saved
	if !ok {
		return
	}
	exp := "for_each"
	if !l.known {
		exp = "unknown"
	}
	for _, b := range l.iterations(arg.Items[1].Range) {
		inner := withBinding(env, b)
		added := false
		for i, k := range l.out.Keys {
			id := k.Value
			if !strings.HasPrefix(id, forEachPrefix) {
				var hidden bool
				if id, hidden = substituteKey(id, inner); hidden {
					t.hiddenKey(key, k, "logical ID", id)
				}
			}
			if emit(k, l.out.Values[i], id, inner, exp) {
				added = true
			}
		}
		if !added && !t.charge(valueOverhead, arg.Range) {
			return
		}
	}
}

// forEachProperties expands an Fn::ForEach inside a mapping of properties
// into the entries of m.
func (t *tmpl) forEachProperties(key, arg *Node, m *value) {
	l, ok := t.parseLoop(key, arg)
	if !ok {
		return
	}
	saved := t.env
	defer func() { t.env = saved }()
	for _, b := range l.iterations(arg.Items[1].Range) {
		if !t.charge(valueOverhead, arg.Range) {
			return
		}
		t.env = withBinding(saved, b)
		for i, k := range l.out.Keys {
			if strings.HasPrefix(k.Value, forEachPrefix) {
				t.forEachProperties(k, l.out.Values[i], m)
				continue
			}
			name, hidden := substituteKey(k.Value, t.env)
			if hidden {
				t.hiddenKey(key, k, "property name", name)
			}
			v := t.eval(l.out.Values[i])
			if v.kind == vNoValue {
				continue
			}
			if _, dup := m.fields[name]; !dup {
				m.keys = append(m.keys, name)
			}
			m.fields[name] = v
		}
	}
}

package cloudformation

import "github.com/portcullis-iac/portcullis/parser/graph"

// Kind is the kind of a template node.
type Kind int

// Node kinds. JSON and YAML documents decode to the same tree.
const (
	Null Kind = iota
	Bool
	Number
	String
	Sequence
	Mapping
)

// Node is one value of a template with its exact source range. YAML
// short-form tags (!Ref X, !Sub s, !GetAtt A.B) are already rewritten into
// their long forms ({"Ref": "X"}, {"Fn::Sub": "s"}, {"Fn::GetAtt": ["A",
// "B"]}) keeping the tagged node's range, so evaluation sees one syntax.
type Node struct {
	Kind Kind
	// Value is the scalar's text: a string's decoded content, a number's
	// literal, "true"/"false" for booleans.
	Value string
	// Items are the elements of a Sequence.
	Items []*Node
	// Keys and Values are the entries of a Mapping, in document order; Keys
	// are String nodes (their ranges are the keys' ranges).
	Keys   []*Node
	Values []*Node
	// Range covers the whole value: for a mapping or sequence, from its
	// first to its last character (YAML block collections: from the first
	// entry's start to the end of the last entry).
	Range graph.Range
	// Tag is the YAML short-form tag this node was written with ("!Ref"),
	// empty otherwise.
	Tag string
}

// Get returns the value of a mapping's key, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Mapping {
		return nil
	}
	for i, k := range n.Keys {
		if k.Value == key {
			return n.Values[i]
		}
	}
	return nil
}

// KeyNode returns the key node of a mapping's key, or nil.
func (n *Node) KeyNode(key string) *Node {
	if n == nil || n.Kind != Mapping {
		return nil
	}
	for _, k := range n.Keys {
		if k.Value == key {
			return k
		}
	}
	return nil
}

package sarif

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// go-sarif marshals every array and several integer properties without
// omitempty, so its output spells out SARIF's defaults: empty arrays, and -1
// for "unset" indexes and offsets. Apart from size, the literal -1 indexes
// draw SARIF2004 (OptimizeFileSize) warnings from the SARIF validator.
// compact drops those defaults from the encoded log, keeping key order, so
// the log means exactly the same and stays byte-for-byte deterministic.

// unsetSentinels are the properties whose value -1 means "not set" (SARIF
// §3.4.2 (index), §3.24.2 (artifact length, parentIndex), §3.30 (region
// offsets), §3.27.14 (rank), §3.28.2 (location id)).
var unsetSentinels = map[string]bool{
	"index":       true,
	"parentIndex": true,
	"length":      true,
	"byteOffset":  true,
	"charOffset":  true,
	"rank":        true,
	"id":          true,
}

// keepEmpty are the arrays kept even when empty: a log has runs, and a run
// that represents a scan has results even when it found nothing (§3.14.23).
var keepEmpty = map[string]bool{
	"runs":    true,
	"results": true,
}

// node is a JSON value that remembers its object keys' order.
type node struct {
	kind   byte // '{', '[' or 0 for a scalar
	keys   []string
	vals   []*node
	scalar []byte // encoded scalar
}

// compact re-encodes the JSON document in src without SARIF's default
// values, indented by two spaces and followed by a newline.
func compact(src []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	root, err := decodeNode(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("sarif: trailing data after log")
	}
	prune(root)
	var flat bytes.Buffer
	if err := root.encode(&flat); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, flat.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func decodeNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		kind := byte('{')
		if t == '[' {
			kind = '['
		}
		n := &node{kind: kind}
		for dec.More() {
			if n.kind == '{' {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := k.(string)
				if !ok {
					return nil, fmt.Errorf("sarif: object key is %T", k)
				}
				n.keys = append(n.keys, key)
			}
			v, err := decodeNode(dec)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, v)
		}
		if _, err := dec.Token(); err != nil { // closing delimiter
			return nil, err
		}
		return n, nil
	default:
		b, err := marshalNoEscape(t)
		if err != nil {
			return nil, err
		}
		return &node{scalar: b}, nil
	}
}

// prune drops default values from the objects under n.
func prune(n *node) {
	for _, v := range n.vals {
		prune(v)
	}
	if n.kind != '{' {
		return
	}
	keys, vals := n.keys[:0], n.vals[:0]
	for i, k := range n.keys {
		v := n.vals[i]
		switch {
		case unsetSentinels[k] && v.kind == 0 && string(v.scalar) == "-1":
			continue
		case v.kind == '[' && len(v.vals) == 0 && !keepEmpty[k]:
			continue
		case k == "properties" && v.kind == '{' && len(v.vals) == 0:
			continue
		}
		keys, vals = append(keys, k), append(vals, v)
	}
	n.keys, n.vals = keys, vals
}

func (n *node) encode(b *bytes.Buffer) error {
	if n.kind == 0 {
		b.Write(n.scalar)
		return nil
	}
	b.WriteByte(n.kind)
	for i, v := range n.vals {
		if i > 0 {
			b.WriteByte(',')
		}
		if n.kind == '{' {
			k, err := marshalNoEscape(n.keys[i])
			if err != nil {
				return err
			}
			b.Write(k)
			b.WriteByte(':')
		}
		if err := v.encode(b); err != nil {
			return err
		}
	}
	if n.kind == '{' {
		b.WriteByte('}')
	} else {
		b.WriteByte(']')
	}
	return nil
}

// marshalNoEscape encodes v as JSON without escaping <, > and &, which are
// common in messages ("->", "a && b") and need no escaping outside HTML.
func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

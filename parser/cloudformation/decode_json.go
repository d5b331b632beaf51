package cloudformation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// DecodeJSON decodes a JSON template into a Node tree with exact ranges:
// a string's range covers its quotes, an object's or array's range runs
// from its opening to past its closing bracket. A UTF-8 byte order mark is
// skipped. Duplicate keys are an error diagnostic (the first value is kept);
// a syntax error is an error diagnostic at the offending character, and the
// tree decoded up to it is returned (the open objects and arrays end
// there). DecodeJSON never panics.
func DecodeJSON(file string, src []byte) (n *Node, diags []graph.Diagnostic) {
	defer decodeRecover(file, &n, &diags)
	d := &decJSONDecoder{file: file, src: src, lines: newDecodeLines(src, false)}
	n = d.decode()
	return n, d.diags
}

// decodeJSONSyntaxError is the summary of a JSON syntax error diagnostic.
const decodeJSONSyntaxError = "JSON syntax error"

type decJSONDecoder struct {
	file  string
	src   []byte
	lines *decodeLines
	diags []graph.Diagnostic
}

// decJSONFrame is an object or array being decoded.
type decJSONFrame struct {
	node      *Node
	keys      map[string]*Node // object: the keys seen, to find duplicates
	key       *Node            // object: the key whose value comes next
	skipValue bool             // object: the next value belongs to a duplicate key and replaces the first
}

func (d *decJSONDecoder) rng(start, end int) graph.Range { return d.lines.rng(d.file, start, end) }

func (d *decJSONDecoder) errorAt(start, end int, summary, detail string) {
	d.diags = append(d.diags, decodeDiag(graph.SeverityError, d.rng(start, end), summary, detail))
}

// syntaxError reports the first syntax error of the input, from the
// standard library's validating scanner (whose offsets and messages are
// exact), and reports whether there was one.
func (d *decJSONDecoder) syntaxError(body []byte, base int) bool {
	if json.Valid(body) {
		return false
	}
	var raw json.RawMessage
	err := json.Unmarshal(body, &raw)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		if err == nil {
			err = errors.New("invalid JSON")
		}
		d.errorAt(base, base, decodeJSONSyntaxError, err.Error())
		return true
	}
	// Offset counts the bytes read, the offending one included; at the end
	// of the input it is the input's length.
	off := int(se.Offset)
	if off > len(body) {
		off = len(body)
	}
	if off > 0 && !strings.HasPrefix(se.Error(), "unexpected end") {
		off--
	}
	start := base + off
	d.errorAt(start, d.lines.runeEnd(start), decodeJSONSyntaxError, se.Error())
	return true
}

func (d *decJSONDecoder) decode() *Node {
	base := 0
	if bytes.HasPrefix(d.src, decodeBOM) {
		base = len(decodeBOM)
	}
	body := d.src[base:]
	hadSyntaxError := d.syntaxError(body, base)

	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var root *Node
	var stack []*decJSONFrame
	// fail closes the open objects and arrays at off, reporting err unless
	// the validating scanner already reported the input's syntax error.
	fail := func(off int, err error) {
		if !hadSyntaxError {
			msg := err.Error()
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				msg = "unexpected end of JSON input"
			}
			d.errorAt(off, d.lines.runeEnd(off), decodeJSONSyntaxError, msg)
		}
		for _, f := range stack {
			f.node.Range.End = d.lines.pos(off)
		}
	}
	for {
		start := base + d.skipSeparators(body, int(dec.InputOffset()))
		tok, err := dec.Token()
		if err != nil {
			if root != nil && len(stack) == 0 && errors.Is(err, io.EOF) {
				return root
			}
			fail(start, err)
			return root
		}
		end := base + int(dec.InputOffset())
		if root != nil && len(stack) == 0 {
			// Another value after the template: json.Valid rejected it.
			fail(start, fmt.Errorf("invalid character %q after top-level value", d.src[start]))
			return root
		}
		var n *Node
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if len(stack) >= decodeMaxDepth {
					fail(start, fmt.Errorf("exceeded max depth of %d", decodeMaxDepth))
					return root
				}
				n = &Node{Kind: Sequence, Range: d.rng(start, end)}
				f := &decJSONFrame{node: n}
				if t == '{' {
					n.Kind = Mapping
					f.keys = map[string]*Node{}
				}
				if root == nil {
					root = n
				} else {
					d.attach(stack[len(stack)-1], n)
				}
				stack = append(stack, f)
				continue
			default: // '}' or ']'
				if len(stack) == 0 {
					fail(start, fmt.Errorf("invalid character %q", rune(t)))
					return root
				}
				stack[len(stack)-1].node.Range.End = d.lines.pos(end)
				stack = stack[:len(stack)-1]
				continue
			}
		case string:
			if len(stack) > 0 {
				if f := stack[len(stack)-1]; f.node.Kind == Mapping && f.key == nil {
					d.key(f, &Node{Kind: String, Value: t, Range: d.rng(start, end)})
					continue
				}
			}
			n = &Node{Kind: String, Value: t}
		case json.Number:
			n = &Node{Kind: Number, Value: string(t)}
		case bool:
			n = &Node{Kind: Bool, Value: "false"}
			if t {
				n.Value = "true"
			}
		case nil:
			n = &Node{Kind: Null}
		default:
			fail(start, fmt.Errorf("unexpected token %v", tok))
			return root
		}
		n.Range = d.rng(start, end)
		if root == nil {
			return n // a scalar template
		}
		d.attach(stack[len(stack)-1], n)
	}
}

// key records an object's key, reporting a duplicate.
func (d *decJSONDecoder) key(f *decJSONFrame, k *Node) {
	f.key = k
	f.skipValue = false
	if first, dup := f.keys[k.Value]; dup {
		f.skipValue = true
		d.diags = append(d.diags, decodeDiag(graph.SeverityError, k.Range,
			fmt.Sprintf("duplicate key %q", k.Value),
			fmt.Sprintf("the key is defined at line %d and again at line %d; CloudFormation uses the last value, and so does Portcullis",
				first.Range.Start.Line, k.Range.Start.Line)))
		f.keys[k.Value] = k
		return
	}
	f.keys[k.Value] = k
}

// attach adds a value to the open object or array f.
func (d *decJSONDecoder) attach(f *decJSONFrame, n *Node) {
	if f.node.Kind == Sequence {
		f.node.Items = append(f.node.Items, n)
		return
	}
	if f.key == nil { // cannot happen after encoding/json's checks
		return
	}
	if f.skipValue {
		// A duplicate key: the last value wins, as in CloudFormation.
		for i, k := range f.node.Keys {
			if k.Value == f.key.Value {
				f.node.Keys[i], f.node.Values[i] = f.key, n
			}
		}
	} else {
		f.node.Keys = append(f.node.Keys, f.key)
		f.node.Values = append(f.node.Values, n)
	}
	f.key, f.skipValue = nil, false
}

// skipSeparators returns the offset of the next token at or after off: past
// white space, ',' and ':'.
func (d *decJSONDecoder) skipSeparators(body []byte, off int) int {
	for off < len(body) {
		switch body[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

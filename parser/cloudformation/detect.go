package cloudformation

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// MayBeTemplate is the cheap test of the content of a file found while
// walking: false only when src cannot be a CloudFormation template, however
// it is written. A template has a Resources section (or, at least,
// AWSTemplateFormatVersion); in JSON and YAML a key can be spelled without
// its letters only through backslash escapes ("Re\u0073ources",
// "\x52esources"), and YAML reads UTF-16 when the file starts with a byte
// order mark. So src may be a template only when it holds "Resources",
// "AWSTemplateFormatVersion", a backslash, or a UTF-16 byte order mark;
// everything else is decoded (Detect) before it is passed over.
func MayBeTemplate(src []byte) bool {
	return plainlyNamesTemplate(src) || bytes.IndexByte(src, '\\') >= 0 || utf16BOM(src) != nil
}

// plainlyNamesTemplate reports whether src spells Resources or
// AWSTemplateFormatVersion without escapes.
func plainlyNamesTemplate(src []byte) bool {
	return bytes.Contains(src, []byte("Resources")) || bytes.Contains(src, []byte("AWSTemplateFormatVersion"))
}

// Detect decides whether src, the content of the file name, is a
// CloudFormation template, by decoding it as CloudFormation does (JSON \u
// escapes, YAML escapes, tags and quoted keys: Decode) and looking at the
// decoded document (IsTemplate), never at the raw bytes alone.
//
//   - isTemplate and root != nil: a template; root is the decoded document
//     (partial when diags holds a syntax error). Evaluate it with
//     LoadTemplate(name, root, src, opts) and put diags before the graph's
//     own diagnostics.
//   - isTemplate and root == nil: a document meant as a template that cannot
//     be read: diags holds at least one SeverityError naming the file and
//     the position. It must be reported, never passed over: a broken
//     template hides its resources.
//   - !isTemplate: not a template. diags are the decoding problems, if any
//     (for a file the user named, to say why); for a file found while
//     walking, drop them.
//
// A document is meant as a template when it decodes to a template; or when
// it is broken (a syntax error) and what decodes of it, or its text with
// backslash escapes undone, names AWSTemplateFormatVersion, or Resources
// and an AWS:: type. A YAML stream whose first document is not a template
// but a later one is gets an error too: CloudFormation reads one document.
//
// Detect never panics; it does not look at name's extension.
func Detect(name string, src []byte) (isTemplate bool, root *Node, diags []graph.Diagnostic) {
	if !MayBeTemplate(src) {
		return false, nil, nil
	}
	if bom := utf16BOM(src); bom != nil {
		// YAML may be UTF-16; Portcullis reads UTF-8 only (DecodeYAML
		// reports it). Whether it was meant as a template decides whether
		// the error matters.
		_, diags = Decode(name, src)
		text := decodeUTF16(src[2:], bom)
		if looksMeant(nil, text) {
			return true, nil, diags
		}
		return false, nil, diags
	}
	// Only a file that passed the prefilter through escapes alone is
	// checked the fast way; a real template (it holds Resources as plain
	// text) would otherwise be decoded twice.
	if !plainlyNamesTemplate(src) && notTemplateJSON(src) {
		return false, nil, nil
	}
	root, diags = Decode(name, src)
	if IsTemplate(root) {
		return true, root, diags
	}
	if decodeHasErrors(diags) {
		if looksMeant(root, src) {
			return true, nil, diags
		}
		return false, nil, diags
	}
	if line, ok := laterTemplateDocument(name, src); ok {
		diags = append(diags, decodeDiag(graph.SeverityError,
			graph.Range{File: name, Start: graph.Pos{Line: line, Column: 1}, End: graph.Pos{Line: line, Column: 1}},
			"the template is not the first YAML document of the file",
			"this document of the YAML stream is a CloudFormation template, but only the first document of a file is read (CloudFormation reads a template as a single document)"))
		fixByte(src, &diags[len(diags)-1])
		return true, nil, diags
	}
	return false, nil, diags
}

// LoadSource decodes and evaluates src, the content of the file name, as
// Detect and LoadTemplate do: the graph of the template; a graph holding
// only the diagnostics (at least one SeverityError) for a broken template;
// nil when src is not a template and explicit is false (a file found while
// walking). When explicit is set (a file the user named, a nested stack's
// template) a file that is not a template gives a graph with an error
// diagnostic saying so. It never panics.
func LoadSource(name string, src []byte, explicit bool, opts Options) (g *graph.Graph) {
	defer func() {
		if r := recover(); r != nil {
			g = &graph.Graph{Format: graph.FormatCloudFormation, Root: name, Files: []string{name},
				Sources: map[string][]byte{name: src}, Diagnostics: []graph.Diagnostic{{
					Severity: graph.SeverityError,
					Summary:  "internal error while loading the template; please report it",
					Detail:   fmt.Sprint(r),
					Range:    graph.Range{File: name, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}},
				}}}
		}
	}()
	ok, root, diags := Detect(name, src)
	broken := func() *graph.Graph {
		g := &graph.Graph{Format: graph.FormatCloudFormation, Root: name, Diagnostics: diags,
			Files: []string{name}, Sources: map[string][]byte{name: src}}
		graph.SortDiagnostics(g.Diagnostics)
		return g
	}
	switch {
	case ok && root != nil:
		g := LoadTemplate(name, root, src, opts)
		if len(diags) > 0 {
			g.Diagnostics = append(diags, g.Diagnostics...)
			graph.SortDiagnostics(g.Diagnostics)
		}
		return g
	case ok:
		return broken()
	case !explicit:
		return nil
	}
	if !decodeHasErrors(diags) {
		diags = append(diags, graph.Diagnostic{Severity: graph.SeverityError,
			Summary: "not a CloudFormation template",
			Detail:  "the document has neither AWSTemplateFormatVersion nor Resources whose Type is AWS::...",
			Range:   graph.Range{File: name, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}}})
	}
	return broken()
}

// notTemplateJSON is the fast way to pass over a large JSON file (a
// package lock, say) that holds escapes: valid JSON whose top-level object
// has, once decoded, neither an AWSTemplateFormatVersion nor a Resources
// key is not a template. encoding/json decodes the keys as DecodeJSON does;
// anything else (not an object, not valid JSON) is left to Decode.
func notTemplateJSON(src []byte) bool {
	body := bytes.TrimPrefix(src, decodeBOM)
	if rest := bytes.TrimLeft(body, " \t\r\n"); len(rest) == 0 || rest[0] != '{' {
		return false
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return false
	}
	_, version := top["AWSTemplateFormatVersion"]
	_, resources := top["Resources"]
	return !version && !resources
}

// fixByte sets the byte offsets of a diagnostic placed at the start of a
// line.
func fixByte(src []byte, d *graph.Diagnostic) {
	lines := newDecodeLines(src, true)
	l := d.Range.Start.Line
	if l >= 1 && l <= len(lines.starts) {
		d.Range.Start.Byte = lines.starts[l-1]
		d.Range.End.Byte = lines.starts[l-1]
	}
}

// looksMeant reports whether a document that could not be decoded (root is
// what decoded of it, maybe nil) was meant as a template.
func looksMeant(root *Node, src []byte) bool {
	if root != nil && root.Kind == Mapping {
		if root.Get("AWSTemplateFormatVersion") != nil || root.Get("Resources") != nil {
			return true
		}
	}
	text := unescapeLoosely(src)
	if bytes.Contains(text, []byte("AWSTemplateFormatVersion")) {
		return true
	}
	return bytes.Contains(text, []byte("Resources")) &&
		(bytes.Contains(text, []byte("AWS::")) || bytes.Contains(text, []byte("Custom::")) || bytes.Contains(text, []byte("Alexa::")))
}

// unescapeLoosely undoes the backslash escapes of JSON strings and YAML
// double-quoted scalars anywhere in src (\uXXXX, \UXXXXXXXX, \xXX, an
// escaped line break with the indentation after it, \c for any other
// character c), whatever the context: a heuristic for text that does not
// decode.
func unescapeLoosely(src []byte) []byte {
	if bytes.IndexByte(src, '\\') < 0 {
		return src
	}
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c != '\\' || i+1 >= len(src) {
			out = append(out, c)
			continue
		}
		e := src[i+1]
		width := 0
		switch e {
		case 'u':
			width = 4
		case 'U':
			width = 8
		case 'x':
			width = 2
		}
		if width > 0 && i+2+width <= len(src) {
			if r, ok := hexRune(src[i+2 : i+2+width]); ok {
				// A UTF-16 surrogate pair written as two \u escapes.
				if width == 4 && utf16.IsSurrogate(r) && i+12 <= len(src) && src[i+6] == '\\' && src[i+7] == 'u' {
					if r2, ok := hexRune(src[i+8 : i+12]); ok {
						if p := utf16.DecodeRune(r, r2); p != utf8.RuneError {
							out = utf8.AppendRune(out, p)
							i += 11
							continue
						}
					}
				}
				out = utf8.AppendRune(out, r)
				i += 1 + width
				continue
			}
		}
		if e == '\n' || e == '\r' {
			// An escaped line break: the break and the next line's
			// indentation are not part of the text.
			j := i + 2
			if e == '\r' && j < len(src) && src[j] == '\n' {
				j++
			}
			for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
				j++
			}
			i = j - 1
			continue
		}
		out = append(out, e)
		i++
	}
	return out
}

// hexRune reads hexadecimal digits as a code point (at most 8 digits; a
// value past Unicode's range is U+FFFD).
func hexRune(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		if r > unicode.MaxRune {
			continue // stays out of range
		}
		r = r<<4 | rune(d)
	}
	if r > unicode.MaxRune {
		r = utf8.RuneError
	}
	return r, true
}

// utf16BOM returns the byte order of a UTF-16 byte order mark at the start
// of src, or nil.
func utf16BOM(src []byte) binary.ByteOrder {
	switch {
	case bytes.HasPrefix(src, []byte{0xFE, 0xFF}):
		return binary.BigEndian
	case bytes.HasPrefix(src, []byte{0xFF, 0xFE}):
		return binary.LittleEndian
	}
	return nil
}

// decodeUTF16 converts UTF-16 text to UTF-8.
func decodeUTF16(b []byte, order binary.ByteOrder) []byte {
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = order.Uint16(b[2*i:])
	}
	return []byte(string(utf16.Decode(units)))
}

// laterTemplateDocument reports whether a document after the first of a
// YAML stream is a template, with the line where it starts.
func laterTemplateDocument(name string, src []byte) (line int, found bool) {
	if !bytes.Contains(src, []byte("\n---")) && !bytes.Contains(src, []byte("\n...")) {
		return 0, false
	}
	defer func() {
		if r := recover(); r != nil {
			line, found = 0, false
		}
	}()
	return newDecYAMLDecoder(name, src).laterTemplate()
}

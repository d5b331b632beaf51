package cloudformation

import (
	"bytes"
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// decodeMaxNodes bounds the number of nodes one template decodes to, alias
// copies included: a "billion laughs" document stops expanding aliases there
// with an error instead of exhausting memory.
const decodeMaxNodes = 1_000_000

// decodeMaxDepth bounds the nesting of a JSON template (encoding/json's own
// limit; yaml.v3 applies the same bound to YAML's flow and block nesting)
// and the depth a YAML alias's copy may reach.
const decodeMaxDepth = 10_000

var decodeBOM = []byte{0xEF, 0xBB, 0xBF}

// Decode decodes a CloudFormation template, JSON or YAML by content: a file
// whose first character (after an optional UTF-8 byte order mark and white
// space) is '{' or '[' is decoded as JSON first, since the YAML parser
// rejects some valid JSON (the "\/" escape). When the JSON has a syntax
// error and the YAML decoder succeeds, the YAML result is used (YAML flow
// syntax such as {a: b} is not JSON) with a warning giving the JSON error.
// Everything else is YAML.
//
// Decode never panics and returns what could be decoded with diagnostics
// for the problems met; the Node is nil when nothing could be decoded.
func Decode(file string, src []byte) (*Node, []graph.Diagnostic) {
	rest := bytes.TrimPrefix(src, decodeBOM)
	rest = bytes.TrimLeft(rest, " \t\r\n")
	if len(rest) > 0 && (rest[0] == '{' || rest[0] == '[') {
		n, diags := DecodeJSON(file, src)
		if !decodeHasSyntaxError(diags) {
			return n, diags
		}
		yn, ydiags := DecodeYAML(file, src)
		if yn != nil && !decodeHasErrors(ydiags) {
			for _, d := range diags {
				if d.Summary == decodeJSONSyntaxError {
					// Say why the YAML reading was used: the file may have
					// been meant as JSON.
					d.Severity = graph.SeverityWarning
					d.Summary = "the template is not valid JSON; it was read as YAML"
					ydiags = append([]graph.Diagnostic{d}, ydiags...)
					break
				}
			}
			return yn, ydiags
		}
		return n, diags
	}
	return DecodeYAML(file, src)
}

func decodeHasSyntaxError(diags []graph.Diagnostic) bool {
	for _, d := range diags {
		if d.Summary == decodeJSONSyntaxError {
			return true
		}
	}
	return false
}

func decodeHasErrors(diags []graph.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == graph.SeverityError {
			return true
		}
	}
	return false
}

// decodeLines maps between byte offsets and line/column positions of one
// source. Lines are split the way the source's parser splits them: JSON at
// \n, \r\n and \r; YAML (yaml.v3, YAML 1.1) also at NEL, LS and PS. Columns
// count code points (an invalid UTF-8 byte counts as one); a UTF-8 byte
// order mark at the start of the file is not part of line 1.
type decodeLines struct {
	src    []byte
	starts []int  // byte offset of each line's first character
	ends   []int  // byte offset of each line's break (or len(src))
	ascii  []bool // the line holds only ASCII bytes
	yaml   bool

	// runes holds, for the non-ASCII lines met so far, the offset of each
	// character from the line's start: a column is an index into it.
	runes map[int][]int
}

func newDecodeLines(src []byte, yamlBreaks bool) *decodeLines {
	x := &decodeLines{src: src, yaml: yamlBreaks, runes: map[int][]int{}}
	start := 0
	if bytes.HasPrefix(src, decodeBOM) {
		start = len(decodeBOM)
	}
	ascii := true
	for i := start; i < len(src); {
		if n := x.breakLen(i); n > 0 {
			x.starts = append(x.starts, start)
			x.ends = append(x.ends, i)
			x.ascii = append(x.ascii, ascii)
			i += n
			start, ascii = i, true
			continue
		}
		if src[i] >= utf8.RuneSelf {
			ascii = false
		}
		i++
	}
	x.starts = append(x.starts, start)
	x.ends = append(x.ends, len(src))
	x.ascii = append(x.ascii, ascii)
	return x
}

// breakLen returns the length of the line break at src[i], 0 if none.
func (x *decodeLines) breakLen(i int) int {
	src := x.src
	if i >= len(src) {
		return 0
	}
	switch src[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(src) && src[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xC2:
		if x.yaml && i+1 < len(src) && src[i+1] == 0x85 {
			return 2
		}
	case 0xE2:
		if x.yaml && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// lineOf returns the 0-based line holding byte offset off.
func (x *decodeLines) lineOf(off int) int {
	i := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > off })
	if i == 0 {
		return 0
	}
	return i - 1
}

// lineRunes returns the offsets of the characters of a non-ASCII line
// (through its break), relative to the line's start.
func (x *decodeLines) lineRunes(line int) []int {
	if r, ok := x.runes[line]; ok {
		return r
	}
	start, end := x.starts[line], x.ends[line]
	var r []int
	for b := start; b < end; {
		r = append(r, b-start)
		_, size := utf8.DecodeRune(x.src[b:end])
		b += size
	}
	x.runes[line] = r
	return r
}

// pos returns the position of byte offset off (clamped to the source).
func (x *decodeLines) pos(off int) graph.Pos {
	off = max(0, min(off, len(x.src)))
	line := x.lineOf(off)
	start := x.starts[line]
	if off < start { // inside the byte order mark
		off = start
	}
	rel := off - start
	if x.ascii[line] {
		return graph.Pos{Line: line + 1, Column: rel + 1, Byte: off}
	}
	rs := x.lineRunes(line)
	if lineLen := x.ends[line] - start; rel >= lineLen {
		// At the line's end, or inside its break (between \r and \n).
		return graph.Pos{Line: line + 1, Column: len(rs) + 1 + rel - lineLen, Byte: off}
	}
	k := sort.Search(len(rs), func(i int) bool { return rs[i] >= rel })
	if k < len(rs) && rs[k] == rel {
		return graph.Pos{Line: line + 1, Column: k + 1, Byte: off}
	}
	// Inside a character: each byte of the cut sequence counts as one
	// (what decoding the text up to off would count).
	return graph.Pos{Line: line + 1, Column: k + rel - rs[k-1], Byte: off}
}

// offset returns the byte offset of a 1-based line and column (as yaml.v3
// reports them), clamped to the line's end and to the source.
func (x *decodeLines) offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(x.starts) {
		return len(x.src)
	}
	l := line - 1
	start, end := x.starts[l], x.ends[l]
	col = max(col, 1)
	if x.ascii[l] {
		return min(start+col-1, end)
	}
	rs := x.lineRunes(l)
	if col-1 < len(rs) {
		return start + rs[col-1]
	}
	return end
}

// lineEnd returns the offset of the break ending the line holding off.
func (x *decodeLines) lineEnd(off int) int {
	return x.ends[x.lineOf(off)]
}

// rng returns the range of bytes [start, end).
func (x *decodeLines) rng(file string, start, end int) graph.Range {
	if end < start {
		end = start
	}
	return graph.Range{File: file, Start: x.pos(start), End: x.pos(end)}
}

// runeEnd returns the offset after the character at off.
func (x *decodeLines) runeEnd(off int) int {
	if off >= len(x.src) {
		return len(x.src)
	}
	if n := x.breakLen(off); n > 0 {
		return off + n
	}
	_, size := utf8.DecodeRune(x.src[off:])
	return off + size
}

func decodeDiag(sev graph.Severity, rng graph.Range, summary, detail string) graph.Diagnostic {
	return graph.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Range: rng}
}

// decodeRecover turns a panic into an error diagnostic: a template that
// breaks the decoder must not stop the scan.
func decodeRecover(file string, n **Node, diags *[]graph.Diagnostic) {
	if r := recover(); r != nil {
		*n = nil
		*diags = append(*diags, decodeDiag(graph.SeverityError,
			graph.Range{File: file, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}},
			"internal error while decoding the template", fmt.Sprint(r)))
	}
}

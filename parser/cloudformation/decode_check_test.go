package cloudformation

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// decodeKindNames names the node kinds in dumps.
var decodeKindNames = map[Kind]string{
	Null: "Null", Bool: "Bool", Number: "Number", String: "String", Sequence: "Sequence", Mapping: "Mapping",
}

// decodeDump renders a tree one node a line with its range and the source
// text the range covers: the golden format of testdata/decode.
func decodeDump(src []byte, n *Node) string {
	var b strings.Builder
	var walk func(n *Node, indent, label string)
	walk = func(n *Node, indent, label string) {
		if n == nil {
			fmt.Fprintf(&b, "%s%s<nil>\n", indent, label)
			return
		}
		fmt.Fprintf(&b, "%s%s%s", indent, label, decodeKindNames[n.Kind])
		if n.Kind == String || n.Kind == Number || n.Kind == Bool {
			fmt.Fprintf(&b, " %s", strconv.Quote(n.Value))
		}
		if n.Tag != "" {
			fmt.Fprintf(&b, " tag=%s", n.Tag)
		}
		fmt.Fprintf(&b, " %s %s\n", decodeFmtRange(n.Range), decodeSnippet(src, n.Range))
		for _, it := range n.Items {
			walk(it, indent+"  ", "- ")
		}
		for i, k := range n.Keys {
			fmt.Fprintf(&b, "%s  key %s %s %s\n", indent, strconv.Quote(k.Value), decodeFmtRange(k.Range), decodeSnippet(src, k.Range))
			walk(n.Values[i], indent+"    ", "")
		}
	}
	walk(n, "", "")
	return b.String()
}

func decodeFmtRange(r graph.Range) string {
	return fmt.Sprintf("%d:%d+%d-%d:%d+%d", r.Start.Line, r.Start.Column, r.Start.Byte, r.End.Line, r.End.Column, r.End.Byte)
}

func decodeSnippet(src []byte, r graph.Range) string {
	if r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte {
		return "<out of range>"
	}
	s := string(src[r.Start.Byte:r.End.Byte])
	if len(s) > 60 {
		s = s[:28] + "..." + s[len(s)-28:]
	}
	return strconv.Quote(s)
}

// decodeCheckRanges checks the invariants of every range of a decoded tree
// and returns the problems found: each range lies within the source, starts
// before it ends, and its line and column agree with its byte offset. When
// nested is set (a document without aliases or merge keys) each node must
// also lie within its parent.
func decodeCheckRanges(file string, src []byte, n *Node, yamlBreaks, nested bool) []string {
	var problems []string
	check := func(what string, r graph.Range) bool {
		if r.File != file {
			problems = append(problems, fmt.Sprintf("%s: file %q", what, r.File))
		}
		if r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte {
			problems = append(problems, fmt.Sprintf("%s: bytes %d..%d outside 0..%d", what, r.Start.Byte, r.End.Byte, len(src)))
			return false
		}
		for _, p := range []graph.Pos{r.Start, r.End} {
			if want := decodeNaivePos(src, p.Byte, yamlBreaks); want != p {
				problems = append(problems, fmt.Sprintf("%s: position %+v, byte %d is at %+v", what, p, p.Byte, want))
			}
		}
		return true
	}
	within := func(what string, inner, outer graph.Range) {
		if nested && (inner.Start.Byte < outer.Start.Byte || inner.End.Byte > outer.End.Byte) {
			problems = append(problems, fmt.Sprintf("%s: %s not within its parent %s", what, decodeFmtRange(inner), decodeFmtRange(outer)))
		}
	}
	var walk func(n *Node, path string)
	walk = func(n *Node, path string) {
		if n == nil {
			problems = append(problems, path+": nil node")
			return
		}
		check(path, n.Range)
		for i, it := range n.Items {
			p := fmt.Sprintf("%s[%d]", path, i)
			within(p, it.Range, n.Range)
			walk(it, p)
		}
		if len(n.Keys) != len(n.Values) {
			problems = append(problems, fmt.Sprintf("%s: %d keys, %d values", path, len(n.Keys), len(n.Values)))
			return
		}
		for i, k := range n.Keys {
			p := path + "." + k.Value
			if k.Kind != String {
				problems = append(problems, p+": key is not a String")
			}
			check(p+" (key)", k.Range)
			within(p+" (key)", k.Range, n.Range)
			within(p, n.Values[i].Range, n.Range)
			walk(n.Values[i], p)
		}
	}
	if n != nil {
		walk(n, "$")
	}
	return problems
}

// decodeNaivePos computes the position of a byte offset the slow, obvious
// way, independently of decodeLines: lines end at \n, \r\n and \r (and
// for YAML at NEL, LS and PS); columns count code points; a leading UTF-8
// byte order mark is not part of line 1.
func decodeNaivePos(src []byte, off int, yamlBreaks bool) graph.Pos {
	text := string(src[:off])
	start := 0
	if strings.HasPrefix(string(src), "\ufeff") {
		start = 3
		if off < 3 {
			return graph.Pos{Line: 1, Column: 1, Byte: 3}
		}
	}
	line, col := 1, 1
	for i := start; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\r' && i+1 < len(src) && src[i+1] == '\n':
			if i+1 == off { // between \r and \n
				col++
				i++
				continue
			}
			line, col = line+1, 1
			size = 2
		case r == '\n' || r == '\r' || yamlBreaks && (r == 0x85 || r == 0x2028 || r == 0x2029):
			line, col = line+1, 1
		default:
			col++
		}
		i += size
	}
	return graph.Pos{Line: line, Column: col, Byte: off}
}

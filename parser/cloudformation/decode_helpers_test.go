package cloudformation

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Builders of expected trees. Ranges are written start line, column, byte,
// then end line, column, byte (exclusive), in the file "t".

func decR(sl, sc, sb, el, ec, eb int) graph.Range {
	return graph.Range{File: "t", Start: graph.Pos{Line: sl, Column: sc, Byte: sb}, End: graph.Pos{Line: el, Column: ec, Byte: eb}}
}

func decStr(v string, r graph.Range) *Node  { return &Node{Kind: String, Value: v, Range: r} }
func decNum(v string, r graph.Range) *Node  { return &Node{Kind: Number, Value: v, Range: r} }
func decBool(v string, r graph.Range) *Node { return &Node{Kind: Bool, Value: v, Range: r} }
func decNull(r graph.Range) *Node           { return &Node{Kind: Null, Range: r} }

func decSeq(r graph.Range, items ...*Node) *Node {
	return &Node{Kind: Sequence, Items: items, Range: r}
}

// decMap builds a mapping from key, value, key, value, ...
func decMap(r graph.Range, kvs ...*Node) *Node {
	n := &Node{Kind: Mapping, Range: r}
	for i := 0; i+1 < len(kvs); i += 2 {
		n.Keys = append(n.Keys, kvs[i])
		n.Values = append(n.Values, kvs[i+1])
	}
	return n
}

// decTag builds the long form of a short-form tag: {name: content}, the key
// ranging over the tag.
func decTag(tag, name string, r, tagRange graph.Range, content *Node) *Node {
	return &Node{Kind: Mapping, Tag: tag, Range: r, Keys: []*Node{decStr(name, tagRange)}, Values: []*Node{content}}
}

// decDiagWant is an expected diagnostic: severity, summary, start and end
// line:column, and a fragment of the detail.
type decDiagWant struct {
	sev     graph.Severity
	summary string
	sl, sc  int
	el, ec  int
	detail  string
}

func decCheckDiags(t *testing.T, got []graph.Diagnostic, want []decDiagWant) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(want), decDiagList(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Severity != w.sev || g.Summary != w.summary || !strings.Contains(g.Detail, w.detail) ||
			g.Range.Start.Line != w.sl || g.Range.Start.Column != w.sc ||
			g.Range.End.Line != w.el || g.Range.End.Column != w.ec || g.Range.File != "t" {
			t.Errorf("diagnostic %d:\n got  %s (%s)\n want %s: %s: %s ...%s (%d:%d-%d:%d)", i, g, decodeFmtRange(g.Range),
				w.sev, w.summary, w.detail, "", w.sl, w.sc, w.el, w.ec)
		}
	}
}

func decDiagList(diags []graph.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString("  " + d.String() + " " + decodeFmtRange(d.Range) + "\n")
	}
	return b.String()
}

// decCheckTree compares a decoded tree with the expected one, and checks the
// range invariants.
func decCheckTree(t *testing.T, src []byte, got, want *Node, yamlBreaks bool) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tree mismatch (-want +got):\n%s\ngot:\n%s", diff, decodeDump(src, got))
	}
	for _, p := range decodeCheckRanges("t", src, got, yamlBreaks, true) {
		t.Error(p)
	}
}

package terraform

import (
	"sort"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// positions converts hcl ranges (columns in grapheme clusters) to graph
// ranges (columns in Unicode code points, as SARIF's unicodeCodePoints),
// computing columns from byte offsets and the file's source.
type positions struct {
	sources    map[string][]byte
	lineStarts map[string][]int
}

func newPositions(sources map[string][]byte) *positions {
	return &positions{sources: sources, lineStarts: map[string][]int{}}
}

func (p *positions) starts(file string) []int {
	if s, ok := p.lineStarts[file]; ok {
		return s
	}
	src := p.sources[file]
	s := []int{0}
	for i, c := range src {
		if c == '\n' {
			s = append(s, i+1)
		}
	}
	p.lineStarts[file] = s
	return s
}

func (p *positions) pos(file string, hp hcl.Pos) graph.Pos {
	src, ok := p.sources[file]
	if !ok || hp.Byte < 0 || hp.Byte > len(src) {
		return graph.Pos{Line: hp.Line, Column: hp.Column, Byte: hp.Byte}
	}
	starts := p.starts(file)
	line := sort.Search(len(starts), func(i int) bool { return starts[i] > hp.Byte }) - 1
	col := utf8.RuneCount(src[starts[line]:hp.Byte]) + 1
	return graph.Pos{Line: line + 1, Column: col, Byte: hp.Byte}
}

// rng converts an hcl range.
func (p *positions) rng(r hcl.Range) graph.Range {
	if r.Filename == "" && r.Start.Line == 0 {
		return graph.Range{}
	}
	return graph.Range{File: r.Filename, Start: p.pos(r.Filename, r.Start), End: p.pos(r.Filename, r.End)}
}

// diagnostic converts an hcl diagnostic.
func (p *positions) diagnostic(d *hcl.Diagnostic) graph.Diagnostic {
	sev := graph.SeverityError
	if d.Severity == hcl.DiagWarning {
		sev = graph.SeverityWarning
	}
	out := graph.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail}
	if d.Subject != nil {
		out.Range = p.rng(*d.Subject)
	}
	return out
}

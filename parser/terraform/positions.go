package terraform

import (
	"bytes"
	"sort"
	"sync"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// positions converts hcl ranges (columns in grapheme clusters) to graph
// ranges (columns in Unicode code points, as SARIF's unicodeCodePoints),
// computing columns from byte offsets and the file's source. It is shared by
// every module of a scan and safe for concurrent use.
type positions struct {
	mu    sync.RWMutex
	files map[string]*sourceFile
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

type sourceFile struct {
	src    []byte
	starts []int // byte offset of each line
}

func newPositions() *positions {
	return &positions{files: map[string]*sourceFile{}}
}

// add records the content of a file.
func (p *positions) add(name string, src []byte) {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	p.mu.Lock()
	p.files[name] = &sourceFile{src: src, starts: starts}
	p.mu.Unlock()
}

// source returns the content of a recorded file.
func (p *positions) source(name string) ([]byte, bool) {
	p.mu.RLock()
	f, ok := p.files[name]
	p.mu.RUnlock()
	if !ok {
		return nil, false
	}
	return f.src, true
}

func (p *positions) pos(file string, hp hcl.Pos) graph.Pos {
	p.mu.RLock()
	f, ok := p.files[file]
	p.mu.RUnlock()
	if !ok || hp.Byte < 0 || hp.Byte > len(f.src) {
		return graph.Pos{Line: hp.Line, Column: hp.Column, Byte: hp.Byte}
	}
	line := sort.Search(len(f.starts), func(i int) bool { return f.starts[i] > hp.Byte }) - 1
	lineStart := f.starts[line]
	if line == 0 && hp.Byte >= len(utf8BOM) && bytes.HasPrefix(f.src, utf8BOM) {
		lineStart = len(utf8BOM) // a byte order mark is not a column
	}
	col := utf8.RuneCount(f.src[lineStart:hp.Byte]) + 1
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

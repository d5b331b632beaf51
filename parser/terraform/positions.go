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
	// marks hold, every columnStep bytes of lines that are not all ASCII,
	// the column reached there, so that a column costs at most columnStep
	// bytes of counting, however long its line (a one-line file of
	// megabytes with a diagnostic per token would be quadratic).
	marks []columnMark
	ascii []bool // by line
}

type columnMark struct {
	byte, col int // col: runes from the start of the line to byte
}

const columnStep = 256

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
	f := &sourceFile{src: src, starts: starts, ascii: make([]bool, len(starts))}
	for l := range starts {
		start, end := f.lineStart(l), len(src)
		if l+1 < len(starts) {
			end = starts[l+1]
		}
		if f.ascii[l] = isASCII(src[start:end]); f.ascii[l] || end-start <= columnStep {
			continue
		}
		// Decode from the line start, as the column count does, recording
		// the first rune boundary past every columnStep bytes.
		col, next := 0, start+columnStep
		for i := start; i < end; {
			if i >= next {
				f.marks = append(f.marks, columnMark{byte: i, col: col})
				next = i + columnStep
			}
			_, n := utf8.DecodeRune(src[i:end])
			i += n
			col++
		}
	}
	p.mu.Lock()
	p.files[name] = f
	p.mu.Unlock()
}

// lineStart is where the columns of line l (from 0) start: a byte order
// mark is not a column.
func (f *sourceFile) lineStart(l int) int {
	if l == 0 && bytes.HasPrefix(f.src, utf8BOM) {
		return len(utf8BOM)
	}
	return f.starts[l]
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// column is the column (from 1, in runes) of byte off on line l.
func (f *sourceFile) column(l, off int) int {
	from := f.lineStart(l)
	if off < from {
		return 1
	}
	if f.ascii[l] {
		return off - from + 1
	}
	col := 0
	if off-from > columnStep {
		// The last mark of this line at or before off.
		i := sort.Search(len(f.marks), func(i int) bool { return f.marks[i].byte > off }) - 1
		if i >= 0 && f.marks[i].byte >= from {
			from, col = f.marks[i].byte, f.marks[i].col
		}
	}
	return col + utf8.RuneCount(f.src[from:off]) + 1
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
	return graph.Pos{Line: line + 1, Column: f.column(line, hp.Byte), Byte: hp.Byte}
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

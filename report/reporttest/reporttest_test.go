package reporttest

import (
	"testing"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// offset computes the byte offset of a 1-based line and code-point column.
func offset(src []byte, p graph.Pos) int {
	i := 0
	for line := 1; line < p.Line; i++ {
		if src[i] == '\n' {
			line++
		}
	}
	for col := 1; col < p.Column; col++ {
		_, n := utf8.DecodeRune(src[i:])
		i += n
	}
	return i
}

// TestRangesAgreeWithSources checks that the fixture's byte offsets match
// its lines and columns, so the writers are tested against coherent data.
func TestRangesAgreeWithSources(t *testing.T) {
	r := Report()
	check := func(rg graph.Range) {
		src, ok := r.Sources[rg.File]
		if !ok {
			return
		}
		for _, p := range []graph.Pos{rg.Start, rg.End} {
			if p.Line == 0 {
				continue
			}
			if got := offset(src, p); got != p.Byte {
				t.Errorf("%s:%d:%d: byte %d, want %d", rg.File, p.Line, p.Column, p.Byte, got)
			}
		}
	}
	for _, f := range r.Findings {
		check(f.Location.Range)
		for _, o := range f.Location.Related {
			check(o.Range)
		}
	}
	for _, d := range r.Diagnostics {
		check(d.Range)
	}
	var prev string
	for _, rule := range r.Rules {
		if rule.ID <= prev {
			t.Errorf("rules not sorted: %s after %s", rule.ID, prev)
		}
		prev = rule.ID
	}
}

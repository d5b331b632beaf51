package reporttest

import (
	"crypto/sha256"
	"encoding/hex"
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

// TestTriaged checks that the suppressed findings of Triaged point at the
// text they name, that every kind is there once, and that the file
// digests are those of the sources.
func TestTriaged(t *testing.T) {
	r := Triaged()
	want := map[string]string{
		"ingress.0.from_port": "22",
		"tags":                "tags",
		"bucket":              "bucket",
		"":                    `resource "aws_s3_bucket" "logs" {`,
	}
	kinds := map[string]int{}
	for _, f := range r.Findings {
		if f.Suppressed == nil {
			continue
		}
		kinds[f.Suppressed.Kind]++
		rg := f.Location.Range
		if rg.File != "main.tf" {
			continue
		}
		src := []byte(MainTF)
		got := string(src[offset(src, rg.Start):offset(src, rg.End)])
		if rg.Start.Byte != offset(src, rg.Start) || rg.End.Byte != offset(src, rg.End) {
			t.Errorf("%s: byte offsets %d-%d do not match the columns", f.Attribute, rg.Start.Byte, rg.End.Byte)
		}
		if got != want[f.Attribute] {
			t.Errorf("%s %s: range holds %q, want %q", f.RuleID, f.Attribute, got, want[f.Attribute])
		}
	}
	if len(kinds) != 6 {
		t.Errorf("suppression kinds %v, want each of the six once", kinds)
	}
	for k, n := range kinds {
		if n != 1 {
			t.Errorf("kind %s: %d findings", k, n)
		}
	}
	sum := sha256.Sum256([]byte(MainTF))
	if r.Files["main.tf"] != hex.EncodeToString(sum[:]) || len(r.Files) != 3 {
		t.Errorf("files %v", r.Files)
	}
}

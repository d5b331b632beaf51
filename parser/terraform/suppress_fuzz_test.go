package terraform

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// FuzzInlineIgnores scans a file's comments for inline ignores, and loads
// it as a module: no panic; every ignore and suppression is a comment's
// "portcullis:ignore" on one line of the file, with a rule id and a
// reason in valid UTF-8; a suppression is one the scan found.
func FuzzInlineIgnores(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		const name = "m/main.tf"
		igs := scanIgnores(name, src)
		found := map[[2]int]bool{}
		for i, ig := range igs {
			if i > 0 && igs[i-1].line > ig.line {
				t.Errorf("ignores out of order: line %d after %d", ig.line, igs[i-1].line)
			}
			if ig.attach != 0 && ig.attach <= ig.line {
				t.Errorf("ignore at line %d attaches to line %d", ig.line, ig.attach)
			}
			checkIgnoreSpan(t, src, ig.start.Byte, ig.end.Byte)
			if strings.ContainsAny(ig.rule, " \t\r\n") || !utf8.ValidString(ig.rule) || !utf8.ValidString(ig.reason) {
				t.Errorf("ignore rule %q reason %q", ig.rule, ig.reason)
			}
			if ig.reason != strings.TrimSpace(ig.reason) {
				t.Errorf("reason %q is not trimmed", ig.reason)
			}
			found[[2]int{ig.start.Byte, ig.end.Byte}] = true
		}
		g := LoadModule(fstest.MapFS{name: {Data: src}}, "m", Options{})
		for _, r := range g.Resources {
			for _, s := range r.Suppressions {
				if s.RuleID == "" || s.Reason == "" || s.Range.File != name {
					t.Errorf("%s: suppression %+v", r.Address, s)
				}
				checkIgnoreSpan(t, src, s.Range.Start.Byte, s.Range.End.Byte)
				if !found[[2]int{s.Range.Start.Byte, s.Range.End.Byte}] {
					t.Errorf("%s: suppression %+v is not an ignore the scan found", r.Address, s)
				}
			}
		}
		for _, d := range g.Diagnostics {
			if d.Range.Start.Byte < 0 || d.Range.End.Byte > len(src) || d.Range.Start.Byte > d.Range.End.Byte {
				t.Errorf("diagnostic out of the file: %v (%d-%d of %d bytes)", d, d.Range.Start.Byte, d.Range.End.Byte, len(src))
			}
		}
	})
}

// checkIgnoreSpan checks that [start, end) of src is "portcullis:ignore"
// and the rest of its line.
func checkIgnoreSpan(t *testing.T, src []byte, start, end int) {
	t.Helper()
	if start < 0 || end > len(src) || start > end {
		t.Fatalf("span %d-%d out of %d bytes", start, end, len(src))
	}
	text := src[start:end]
	if !bytes.HasPrefix(text, []byte(ignoreMarker)) || bytes.ContainsAny(text, "\n") {
		t.Errorf("span %d-%d is %q", start, end, text)
	}
}

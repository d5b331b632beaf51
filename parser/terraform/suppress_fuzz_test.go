package terraform

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// FuzzInlineIgnores scans a file's comments for inline ignores, and loads
// it as a module: no panic; every ignore is a comment's
// "portcullis:ignore" and the rest of its line, in valid UTF-8 without
// control characters; one without a problem has valid rule ids, a reason
// and a real expiry date or none; it applies to its own line, a later one
// or none; the graph's ignores are those the scan found, with their
// ranges.
func FuzzInlineIgnores(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		const name = "m/main.tf"
		igs := scanIgnores(name, src)
		found := map[[2]int]ignoreComment{}
		for i, ig := range igs {
			if i > 0 && igs[i-1].line > ig.line {
				t.Errorf("ignores out of order: line %d after %d", ig.line, igs[i-1].line)
			}
			if ig.applies != 0 && ig.applies < ig.line {
				t.Errorf("ignore at line %d applies to line %d", ig.line, ig.applies)
			}
			checkIgnoreSpan(t, src, ig.start, ig.end)
			checkIgnoreFields(t, ig.fields)
			found[[2]int{ig.start, ig.end}] = ig
		}
		g := LoadModule(fstest.MapFS{name: {Data: src}}, "m", Options{})
		if len(g.Ignores) != len(igs) {
			t.Errorf("%d ignores in the graph, %d in the file", len(g.Ignores), len(igs))
		}
		for _, gi := range g.Ignores {
			ig, ok := found[[2]int{gi.Range.Start.Byte, gi.Range.End.Byte}]
			if !ok || gi.Range.File != name || gi.Root != "m" || gi.Line != ig.applies || gi.Range.Start.Line != ig.line ||
				gi.Range.End.Line != ig.line || gi.Problem != ig.fields.problem || gi.Reason != ig.fields.reason {
				t.Errorf("graph ignore %+v is not the ignore the scan found (%+v)", gi, ig)
			}
		}
		for _, d := range g.Diagnostics {
			if d.Range.Start.Byte < 0 || d.Range.End.Byte > len(src) || d.Range.Start.Byte > d.Range.End.Byte {
				t.Errorf("diagnostic out of the file: %v (%d-%d of %d bytes)", d, d.Range.Start.Byte, d.Range.End.Byte, len(src))
			}
		}
	})
}

// checkIgnoreFields checks the parts of an ignore.
func checkIgnoreFields(t *testing.T, f ignoreFields) {
	t.Helper()
	for _, s := range append([]string{f.reason, f.owner, f.ticket, f.expires, f.problem}, f.rules...) {
		if !utf8.ValidString(s) || strings.IndexFunc(s, isControl) >= 0 {
			t.Errorf("ignore field %q", s)
		}
	}
	if f.problem != "" {
		return
	}
	if len(f.rules) == 0 || f.reason == "" || (f.expires != "" && !graph.IsDate(f.expires)) {
		t.Errorf("ignore without a problem: %+v", f)
	}
	for _, r := range f.rules {
		if !graph.ValidRuleID(r) {
			t.Errorf("rule id %q", r)
		}
	}
	if f.reason != strings.TrimSpace(f.reason) {
		t.Errorf("reason %q is not trimmed", f.reason)
	}
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

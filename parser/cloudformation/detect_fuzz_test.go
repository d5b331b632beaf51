package cloudformation

import (
	"bytes"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// fuzzSecret is the value given to parameter S in FuzzLoadSource.
const fuzzSecret = "sEcReTvAlUe7"

// The seeds are in testdata/fuzz/FuzzLoadSource. Run it with
//
//	go test -run '^$' -fuzz FuzzLoadSource -fuzztime 5m -parallel 1 ./parser/cloudformation/
//
// Properties, from the bytes of a file to its graph (Detect, then
// LoadTemplate): nothing panics; every diagnostic lies within the file; a
// file meant as a template that cannot be read has an error; every
// resource is complete; and when the template declares parameter S NoEcho,
// its value (given on the command line) is shown nowhere, in any letter
// case.
func FuzzLoadSource(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		opts := Options{Parameters: map[string]string{"S": fuzzSecret}}
		ok, root, _ := Detect("f.yaml", src)
		g := LoadSource("f.yaml", src, false, opts)
		if (g != nil) != ok {
			t.Fatalf("Detect = %v, LoadSource = %v", ok, g != nil)
		}
		if g == nil {
			return
		}
		if root == nil && !decodeHasErrors(g.Diagnostics) {
			t.Errorf("a broken template without an error: %v", g.Diagnostics)
		}
		for _, d := range g.Diagnostics {
			r := d.Range
			if strings.HasPrefix(d.Summary, "internal error") {
				t.Fatalf("panic: %v", d)
			}
			if r.File != "f.yaml" || r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte || r.Start.Line < 1 || r.Start.Column < 1 {
				t.Errorf("diagnostic out of the file (%d bytes): %v %+v", len(src), d, r)
			}
		}
		for _, r := range g.Resources {
			if r.Values == nil || r.Unknown == nil || r.Sensitive == nil || r.Ranges[""].IsZero() {
				t.Errorf("resource %s is incomplete", r.Address)
			}
		}
		if root != nil && fuzzNoEcho(root.Get("Parameters").Get("S")) &&
			!bytes.Contains(bytes.ToLower(src), []byte(strings.ToLower(fuzzSecret))) {
			if text := strings.ToLower(shownText(t, g)); strings.Contains(text, strings.ToLower(fuzzSecret)) {
				t.Errorf("the NoEcho value is shown:\n%s", text)
			}
		}
	})
}

// fuzzNoEcho reports whether a parameter declaration is NoEcho (as
// bindParameters decides).
func fuzzNoEcho(decl *Node) bool {
	ne := decl.Get("NoEcho")
	return ne != nil && (ne.Kind == Bool || ne.Kind == String) && strings.EqualFold(strings.TrimSpace(ne.Value), "true")
}

// TestFuzzSecretUnchanged keeps the seeds meaningful: shownText must see a
// secret when one leaks.
func TestFuzzSecretUnchanged(t *testing.T) {
	g := &graph.Graph{Diagnostics: []graph.Diagnostic{{Summary: "x " + strings.ToUpper(fuzzSecret)}}}
	if !strings.Contains(strings.ToLower(shownText(t, g)), strings.ToLower(fuzzSecret)) {
		t.Error("shownText misses a diagnostic")
	}
}

package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Input caps of FuzzLoad: larger inputs only slow the search down, and a
// blowup that needs more than this to show is one the benchmarks measure.
const (
	fuzzMaxPlan   = 64 << 10
	fuzzMaxSource = 16 << 10
)

// FuzzLoad loads its first input as p/plan.json, with its second, when not
// empty, as p/main.tf beside it (the source the plan's locations are joined
// to). The seeds are in testdata/fuzz/FuzzLoad. Run it with
//
//	go test -run '^$' -fuzz FuzzLoad -fuzztime 10m -parallel 1 ./parser/plan/
//
// Properties: nothing panics (Load turns a panic into an "internal error"
// diagnostic, which fails the target); Detect agrees with IsPlan; every
// diagnostic lies within the file it names, its line and column those of
// its byte offset; every resource is complete, with valid UTF-8 names and
// ranges within their files, each range in the plan covering one JSON
// value; no range path lies inside a sensitive value; loading twice gives
// the same graph.
func FuzzLoad(f *testing.F) {
	f.Fuzz(func(t *testing.T, planJSON, mainTF []byte) {
		if len(planJSON) > fuzzMaxPlan || len(mainTF) > fuzzMaxSource {
			return
		}
		fsys := fstest.MapFS{"p/plan.json": {Data: planJSON}, "q/export.json": {Data: planJSON}}
		if len(mainTF) > 0 {
			fsys["p/main.tf"] = &fstest.MapFile{Data: mainTF}
		}
		isPlan := IsPlan(planJSON)
		if got := Detect(fsys, "p/plan.json", false); got != isPlan {
			t.Errorf("Detect(walking) = %v, IsPlan = %v", got, isPlan)
		}
		if got := Detect(fsys, "q/export.json", true); got != isPlan {
			t.Errorf("Detect(named export.json) = %v, IsPlan = %v", got, isPlan)
		}
		if !Detect(fsys, "p/plan.json", true) {
			t.Errorf("Detect(named plan.json) = false")
		}

		g := Load(fsys, "p/plan.json", Options{})
		checkGraph(t, g)
		if again := Load(fsys, "p/plan.json", Options{}); summary(again) != summary(g) {
			t.Errorf("loading twice gives two graphs:\n%s\n---\n%s", summary(g), summary(again))
		}
	})
}

func checkGraph(t *testing.T, g *graph.Graph) {
	t.Helper()
	if g == nil {
		t.Fatal("Load returned nil")
	}
	for _, d := range g.Diagnostics {
		if strings.HasPrefix(d.Summary, "internal error") {
			t.Fatalf("panic: %s\n%s", d.Summary, d.Detail)
		}
		if d.Severity != graph.SeverityError && d.Severity != graph.SeverityWarning {
			t.Errorf("diagnostic of severity %q: %v", d.Severity, d)
		}
		if !utf8.ValidString(d.Summary) || !utf8.ValidString(d.Detail) {
			t.Errorf("diagnostic text is not valid UTF-8: %q %q", d.Summary, d.Detail)
		}
		if d.Range.File == "" {
			t.Errorf("diagnostic without a file: %v", d)
		}
		if d.Range.Start.Line == 0 {
			// About a whole file or directory: no position at all.
			if d.Range.Start != (graph.Pos{}) || d.Range.End != (graph.Pos{}) {
				t.Errorf("diagnostic with a partial position: %+v", d)
			}
			continue
		}
		if err := checkRange(g, d.Range); err != nil {
			t.Errorf("diagnostic %q: %v", d.Summary, err)
		}
	}
	for _, r := range g.Resources {
		for _, s := range []string{r.Address, r.Mode, r.Type, r.Name, r.Module, r.Provider} {
			if !utf8.ValidString(s) {
				t.Errorf("resource %q: %q is not valid UTF-8", r.Address, s)
			}
		}
		if r.Values == nil || r.Unknown == nil || r.Sensitive == nil || r.Meta == nil {
			t.Errorf("resource %q is incomplete", r.Address)
		}
		if r.Range != r.Ranges[""] {
			t.Errorf("resource %q: Range %v, Ranges[\"\"] %v", r.Address, r.Range, r.Ranges[""])
		}
		if err := checkRange(g, r.Range); err != nil {
			t.Errorf("resource %q: %v", r.Address, err)
		}
		for p, rg := range r.Ranges {
			if !utf8.ValidString(p) {
				t.Errorf("resource %q: range path %q is not valid UTF-8", r.Address, p)
			}
			if insideSensitive(r.Sensitive, p) {
				t.Errorf("resource %q: range path %q lies inside a sensitive value", r.Address, p)
			}
			if err := checkRange(g, rg); err != nil {
				t.Errorf("resource %q, %q: %v", r.Address, p, err)
				continue
			}
			// In the plan file, a range covers one JSON value exactly.
			if rg.File == g.Root && !json.Valid(g.Sources[rg.File][rg.Start.Byte:rg.End.Byte]) {
				t.Errorf("resource %q, %q: range %+v is not one JSON value", r.Address, p, rg)
			}
		}
		for p, os := range r.Origins {
			if !utf8.ValidString(p) {
				t.Errorf("resource %q: origin path %q is not valid UTF-8", r.Address, p)
			}
			for _, o := range os {
				if err := checkRange(g, o.Range); err != nil {
					t.Errorf("resource %q, origin of %q: %v", r.Address, p, err)
				}
			}
		}
		for _, ref := range r.Refs {
			if !utf8.ValidString(ref.Attribute) || !utf8.ValidString(ref.Target) || !utf8.ValidString(ref.TargetAttribute) {
				t.Errorf("resource %q: reference %+v is not valid UTF-8", r.Address, ref)
			}
			if err := checkRange(g, ref.Range); err != nil {
				t.Errorf("resource %q, reference %+v: %v", r.Address, ref, err)
			}
		}
	}
}

// checkRange checks that a range lies within a file of the graph, starts
// no later than it ends, and that its lines and columns are those of its
// byte offsets: exactly, in code points, in the plan file; in the HCL
// source, whose columns count grapheme clusters, only the lines, and
// columns no further than the code points.
func checkRange(g *graph.Graph, r graph.Range) error {
	src, ok := g.Sources[r.File]
	if !ok {
		return fmt.Errorf("range %v in a file without a source", r)
	}
	if r.Start.Byte > r.End.Byte {
		return fmt.Errorf("range %+v ends before it starts", r)
	}
	exact := r.File == g.Root
	for _, p := range []graph.Pos{r.Start, r.End} {
		if err := checkPos(src, p, exact); err != nil {
			return fmt.Errorf("range %+v: %w", r, err)
		}
	}
	return nil
}

func checkPos(src []byte, p graph.Pos, exact bool) error {
	if p.Byte < 0 || p.Byte > len(src) {
		return fmt.Errorf("byte %d outside the file of %d bytes", p.Byte, len(src))
	}
	before := src[:p.Byte]
	line := 1 + bytes.Count(before, []byte{'\n'})
	if p.Line != line {
		return fmt.Errorf("byte %d is on line %d, not %d", p.Byte, line, p.Line)
	}
	start := bytes.LastIndexByte(before, '\n') + 1
	if start == 0 && bytes.HasPrefix(src, utf8BOM) {
		start = min(len(utf8BOM), p.Byte)
	}
	col := 1 + utf8.RuneCount(src[start:p.Byte])
	if exact && p.Column != col || p.Column < 1 || p.Column > col {
		return fmt.Errorf("byte %d is in column %d, not %d", p.Byte, col, p.Column)
	}
	return nil
}

// summary is everything a graph says, as text, for comparing two loads.
func summary(g *graph.Graph) string {
	var b strings.Builder
	for _, d := range g.Diagnostics {
		fmt.Fprintf(&b, "%+v\n", d)
	}
	fmt.Fprintf(&b, "%v\n", g.Files)
	for _, r := range g.Resources {
		fmt.Fprintf(&b, "%+v\n", *r)
		refs := make([]string, len(r.Refs))
		for i, ref := range r.Refs {
			refs[i] = fmt.Sprintf("%+v", ref)
		}
		sort.Strings(refs)
		fmt.Fprintf(&b, "%v\n", refs)
	}
	return b.String()
}

package graph

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// diag is a diagnostic of file at byte offset b (line 1, column b+1).
func diag(sev Severity, file string, b int, summary string) Diagnostic {
	return Diagnostic{Severity: sev, Summary: summary, Detail: "detail " + summary,
		Range: Range{File: file, Start: at(b), End: at(b + 1)}}
}

// at is the position of byte offset b on line 1.
func at(b int) Pos { return Pos{Line: 1, Column: b + 1, Byte: b} }

// tooMany is the diagnostic CapDiagnostics adds.
func tooMany(file string, b int, detail string) Diagnostic {
	return Diagnostic{Severity: SeverityError, Summary: "too many diagnostics", Detail: detail,
		Range: Range{File: file, Start: at(b), End: at(b)}}
}

func TestCapDiagnostics(t *testing.T) {
	w, e := SeverityWarning, SeverityError
	tests := []struct {
		name    string
		in      []Diagnostic
		perFile int
		want    []Diagnostic
	}{
		{name: "nothing", in: nil, perFile: 2, want: []Diagnostic{}},
		{
			name:    "under the cap: sorted, nothing added",
			in:      []Diagnostic{diag(w, "b.tf", 5, "x"), diag(e, "a.tf", 9, "y"), diag(w, "a.tf", 1, "z")},
			perFile: 2,
			want:    []Diagnostic{diag(w, "a.tf", 1, "z"), diag(e, "a.tf", 9, "y"), diag(w, "b.tf", 5, "x")},
		},
		{
			name: "over the cap: the first by position are kept, one error counts the rest",
			in: []Diagnostic{
				diag(e, "a.tf", 40, "late"), diag(w, "a.tf", 30, "c"), diag(w, "a.tf", 10, "a"),
				diag(e, "a.tf", 20, "b"), diag(w, "a.tf", 50, "later"),
			},
			perFile: 2,
			want: []Diagnostic{
				diag(w, "a.tf", 10, "a"), diag(e, "a.tf", 20, "b"),
				tooMany("a.tf", 30, "3 more diagnostics in a.tf are not shown (at most 2 per file)"),
			},
		},
		{
			name: "one hidden",
			in:   []Diagnostic{diag(w, "m.json", 3, "b"), diag(w, "m.json", 1, "a")},
			want: []Diagnostic{
				diag(w, "m.json", 1, "a"),
				tooMany("m.json", 3, "1 more diagnostic in m.json is not shown (at most 1 per file)"),
			},
			perFile: 1,
		},
		{
			name: "each file on its own; diagnostics without a file are one group",
			in: []Diagnostic{
				diag(w, "c.tf", 1, "c1"), diag(w, "", 0, "n2"), diag(w, "a.tf", 3, "a3"), diag(w, "b.tf", 1, "b1"),
				diag(w, "a.tf", 1, "a1"), diag(w, "", 0, "n1"), diag(w, "c.tf", 2, "c2"), diag(w, "a.tf", 2, "a2"),
				diag(w, "", 0, "n3"),
			},
			perFile: 2,
			want: []Diagnostic{
				diag(w, "", 0, "n1"), diag(w, "", 0, "n2"),
				tooMany("", 0, "1 more diagnostic without a file is not shown (at most 2 per file)"),
				diag(w, "a.tf", 1, "a1"), diag(w, "a.tf", 2, "a2"),
				tooMany("a.tf", 3, "1 more diagnostic in a.tf is not shown (at most 2 per file)"),
				diag(w, "b.tf", 1, "b1"),
				diag(w, "c.tf", 1, "c1"), diag(w, "c.tf", 2, "c2"), // exactly at the cap: nothing added
			},
		},
		{
			name:    "no cap below 1",
			in:      []Diagnostic{diag(w, "a.tf", 2, "b"), diag(w, "a.tf", 1, "a"), diag(w, "a.tf", 3, "c")},
			perFile: 0,
			want:    []Diagnostic{diag(w, "a.tf", 1, "a"), diag(w, "a.tf", 2, "b"), diag(w, "a.tf", 3, "c")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]Diagnostic(nil), tc.in...)
			got := CapDiagnostics(in, tc.perFile)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("CapDiagnostics (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.in, in); diff != "" {
				t.Errorf("the input was modified (-before +after):\n%s", diff)
			}
		})
	}
}

func TestCapDiagnosticsDefault(t *testing.T) {
	var in []Diagnostic
	for i := range 10000 {
		in = append(in, diag(SeverityError, "random.tf", i, "Invalid character"))
	}
	got := CapDiagnostics(in, DefaultDiagnosticsPerFile)
	want := append([]Diagnostic(nil), in[:100]...)
	want = append(want,
		tooMany("random.tf", 100, "9900 more diagnostics in random.tf are not shown (at most 100 per file)"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CapDiagnostics (-want +got):\n%s", diff)
	}
}

// TestCapDiagnosticsDeterministic: which diagnostics are kept does not
// depend on the order they come in, even when they tie in SortDiagnostics'
// order (same file, offset, summary and detail; another severity or line).
func TestCapDiagnosticsDeterministic(t *testing.T) {
	var in []Diagnostic
	for i := range 12 {
		d := diag(SeverityWarning, fmt.Sprintf("f%d.tf", i%2), 7, "same")
		if i%3 == 0 {
			d.Severity = SeverityError
		}
		d.Range.Start.Line = i
		in = append(in, d)
	}
	first := CapDiagnostics(in, 3)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		if diff := cmp.Diff(first, CapDiagnostics(in, 3)); diff != "" {
			t.Fatalf("another input order, another result (-first +now):\n%s", diff)
		}
	}
	if len(first) != 8 {
		t.Errorf("%d diagnostics, want 3 kept and 1 added for each of 2 files", len(first))
	}
}

// A loader that capped a file already says how many it left out: that
// entry is kept and not counted, so the counts add up instead of the
// loader's count being cut away.
func TestCapDiagnosticsKeepsALoadersCap(t *testing.T) {
	var ds []Diagnostic
	for i := range 3 {
		ds = append(ds, Diagnostic{Severity: SeverityError, Summary: "bad", Range: Range{File: "a.tf", Start: Pos{Byte: i}}})
	}
	loaders := Diagnostic{Severity: SeverityError, Summary: SummaryTooManyDiagnostics,
		Detail: "50 more diagnostics for this file are not shown", Range: Range{File: "a.tf", Start: Pos{Byte: 9}}}
	ds = append(ds, loaders)
	if got := CapDiagnostics(ds, 3); len(got) != 4 || got[3] != loaders {
		t.Errorf("at the cap: %v", got)
	}
	ds = append(ds, Diagnostic{Severity: SeverityError, Summary: "bad", Range: Range{File: "a.tf", Start: Pos{Byte: 20}}})
	got := CapDiagnostics(ds, 3)
	var details []string
	for _, d := range got {
		if d.Summary == SummaryTooManyDiagnostics {
			details = append(details, d.Detail)
		}
	}
	want := []string{"50 more diagnostics for this file are not shown", "1 more diagnostic in a.tf is not shown (at most 3 per file)"}
	if len(got) != 5 || strings.Join(details, "|") != strings.Join(want, "|") {
		t.Errorf("past the cap: %d diagnostics, %q", len(got), details)
	}
}

package graph

import (
	"cmp"
	"slices"
	"strconv"
)

// DefaultDiagnosticsPerFile is how many diagnostics CapDiagnostics keeps
// for one file by default: enough to fix a file by, few enough that a file
// of random bytes cannot flood the output (8 MB of them gave 301,406).
const DefaultDiagnosticsPerFile = 100

// SummaryTooManyDiagnostics is the Summary of the diagnostic CapDiagnostics
// adds for a file whose diagnostics were cut.
const SummaryTooManyDiagnostics = "too many diagnostics"

// CapDiagnostics keeps at most perFile diagnostics of each file (those
// without a file form one group): the first ones in SortDiagnostics order.
// For each file that had more, it adds one SeverityError diagnostic in the
// file, at the start of the first diagnostic not shown (so that it sorts
// after the ones kept, and says where the hidden ones begin), with Summary
// SummaryTooManyDiagnostics and the Detail "N more diagnostics in FILE are
// not shown (at most PERFILE per file)" ("1 more diagnostic in FILE is not
// shown", "... without a file ..."): hidden diagnostics may hide findings,
// so the scan is incomplete.
//
// The result is a new slice in SortDiagnostics order, ties broken by the
// remaining fields so that it does not depend on the order of ds; ds is not
// modified. A perFile below 1 keeps every diagnostic. Exact duplicates count
// as many times as they appear: remove them first for exact counts. A
// SummaryTooManyDiagnostics entry already in ds (a loader's own cap) is
// kept and not counted.
func CapDiagnostics(ds []Diagnostic, perFile int) []Diagnostic {
	sorted := append([]Diagnostic(nil), ds...)
	slices.SortFunc(sorted, compareDiagnostics)
	if perFile < 1 {
		return sorted
	}
	out := make([]Diagnostic, 0, len(sorted))
	for i := 0; i < len(sorted); {
		file := sorted[i].Range.File
		j := i
		for j < len(sorted) && sorted[j].Range.File == file {
			j++
		}
		// sorted[i:j] is one file's diagnostics (the order is by file
		// first). A cap a loader applied already (its own too-many entry,
		// which counts what it left out) is kept and not counted: its
		// count and this one add up.
		kept := 0
		var first *Diagnostic
		hidden := 0
		for k := i; k < j; k++ {
			d := sorted[k]
			switch {
			case d.Summary == SummaryTooManyDiagnostics:
				out = append(out, d)
			case kept < perFile:
				out = append(out, d)
				kept++
			default:
				if first == nil {
					first = &sorted[k]
				}
				hidden++
			}
		}
		if hidden > 0 {
			out = append(out, tooManyDiagnostics(first.Range.Start, file, hidden, perFile))
		}
		i = j
	}
	slices.SortFunc(out, compareDiagnostics)
	return out
}

// compareDiagnostics orders as SortDiagnostics does (file, start byte,
// summary, detail), then by every other field: a total order.
func compareDiagnostics(a, b Diagnostic) int {
	return cmp.Or(
		cmp.Compare(a.Range.File, b.Range.File),
		cmp.Compare(a.Range.Start.Byte, b.Range.Start.Byte),
		cmp.Compare(a.Summary, b.Summary),
		cmp.Compare(a.Detail, b.Detail),
		cmp.Compare(a.Severity, b.Severity),
		cmp.Compare(a.Range.Start.Line, b.Range.Start.Line),
		cmp.Compare(a.Range.Start.Column, b.Range.Start.Column),
		cmp.Compare(a.Range.End.Byte, b.Range.End.Byte),
		cmp.Compare(a.Range.End.Line, b.Range.End.Line),
		cmp.Compare(a.Range.End.Column, b.Range.End.Column),
	)
}

func tooManyDiagnostics(at Pos, file string, hidden, perFile int) Diagnostic {
	where := "in " + file
	if file == "" {
		where = "without a file"
	}
	what := strconv.Itoa(hidden) + " more diagnostics " + where + " are not shown"
	if hidden == 1 {
		what = "1 more diagnostic " + where + " is not shown"
	}
	return Diagnostic{
		Severity: SeverityError,
		Summary:  SummaryTooManyDiagnostics,
		Detail:   what + " (at most " + strconv.Itoa(perFile) + " per file)",
		Range:    Range{File: file, Start: at, End: at},
	}
}

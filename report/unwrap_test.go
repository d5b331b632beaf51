package report

import (
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// TestUnwrap: a remediation paragraph wrapped by hand in rule metadata is
// one line in the HTML report, so the page wraps it.
func TestUnwrap(t *testing.T) {
	got := unwrap("Grant the permission to the account, role or service that needs it, and\n  for a service principal name the resource\nthat calls the function.")
	want := "Grant the permission to the account, role or service that needs it, and for a service principal name the resource that calls the function."
	if got != want {
		t.Errorf("unwrap = %q, want %q", got, want)
	}
}

// TestWriteDiagnosticLines: warnings and errors one per line, notes left
// out, and scanned text made safe for a terminal (escape sequences, line
// breaks and bidirectional overrides replaced).
func TestWriteDiagnosticLines(t *testing.T) {
	var b strings.Builder
	ds := []graph.Diagnostic{
		{Severity: graph.SeverityWarning, Summary: "ignore matches no finding", Detail: "x\x1b[2Jy\nz\u202e", Range: graph.Range{File: "main.tf", Start: graph.Pos{Line: 3, Column: 1}, End: graph.Pos{Line: 3, Column: 9}}},
		{Severity: graph.SeverityNote, Summary: "a note"},
		{Severity: graph.SeverityError, Summary: "cannot read file", Range: graph.Range{File: "a.yaml"}},
	}
	if err := WriteDiagnosticLines(&b, "portcullis", ds); err != nil {
		t.Fatal(err)
	}
	want := "portcullis: main.tf:3:1: warning: ignore matches no finding: x\uFFFD[2Jy z\uFFFD\n" +
		"portcullis: a.yaml: error: cannot read file\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

package sarif

import (
	"testing"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// A note diagnostic is a notification of level "note".
func TestNoteNotification(t *testing.T) {
	r := &finding.Report{Diagnostics: []graph.Diagnostic{
		{Severity: graph.SeverityNote, Summary: "module not installed, understood from its inputs", Detail: "d",
			Range: graph.Range{File: "main.tf", Start: graph.Pos{Line: 3, Column: 1}, End: graph.Pos{Line: 3, Column: 13}}},
	}}
	run := decode(t, r).Runs[0]
	ns := run.Invocations[0].Notifications
	if len(ns) != 1 || ns[0].Level != "note" {
		t.Fatalf("notifications %+v", ns)
	}
	if !run.Invocations[0].ExecutionSuccessful {
		t.Error("a note made the execution unsuccessful")
	}
}

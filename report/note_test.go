package report

import (
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// A note (a module understood without its code) is shown and counted
// apart from warnings.
func TestNoteDiagnostic(t *testing.T) {
	r := &finding.Report{Diagnostics: []graph.Diagnostic{
		{Severity: graph.SeverityWarning, Summary: "w", Range: graph.Range{File: "a.tf", Start: graph.Pos{Line: 1, Column: 1}}},
		{Severity: graph.SeverityNote, Summary: "module not installed, understood from its inputs", Range: graph.Range{File: "main.tf", Start: graph.Pos{Line: 3, Column: 1}}},
	}}
	out := string(text(t, r, false))
	if !strings.Contains(out, "main.tf:3:1: note: module not installed, understood from its inputs\n") {
		t.Errorf("note not shown:\n%s", out)
	}
	if !strings.HasSuffix(out, "No findings in 0 resources, 2 diagnostics (1 warning, 1 note)\n") {
		t.Errorf("summary:\n%s", out)
	}
	if js := string(jsonOut(t, r)); !strings.Contains(js, `"severity": "note"`) {
		t.Errorf("JSON severity:\n%s", js)
	}
}

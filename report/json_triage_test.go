package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/report/reporttest"
)

func TestJSONSuppressions(t *testing.T) {
	dec := json.NewDecoder(bytes.NewReader(jsonOut(t, reporttest.Triaged())))
	dec.DisallowUnknownFields()
	var doc JSONReport
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	want := JSONSummary{
		Total: 6, Suppressed: 6,
		NotCounted: JSONNotCounted{Inline: 1, Exception: 1, Baseline: 1, Excluded: 1, Unchanged: 1, Threshold: 1},
		BySeverity: JSONBySeverity{Critical: 1, High: 1, Medium: 3, Low: 1}, Resources: 12, Diagnostics: 2,
	}
	if doc.Summary != want {
		t.Errorf("summary %+v, want %+v", doc.Summary, want)
	}
	var got []JSONSuppression
	for _, f := range doc.Findings {
		if f.Suppressed != nil {
			got = append(got, *f.Suppressed)
		}
	}
	wantSup := []JSONSuppression{
		{Kind: "excluded", Reason: "under examples/**, excluded by .portcullis.yaml"},
		{Kind: "inline", Reason: "bastion host, reviewed in SEC-7", Owner: "platform-team", Expires: "2027-01-31",
			Location: &JSONLocation{File: "main.tf", StartLine: 5, StartColumn: 3, EndLine: 5, EndColumn: 12}},
		{Kind: "exception", Reason: "log bucket written by the load balancer only", Owner: "storage-team", Ticket: "SEC-123", Expires: "2027-03-31",
			Location: &JSONLocation{File: ".portcullis/exceptions.yaml", StartLine: 3, StartColumn: 5, EndLine: 3, EndColumn: 30}},
		{Kind: "threshold", Reason: "below the severity threshold (medium)"},
		{Kind: "unchanged", Reason: "not on a line changed since origin/main"},
		{Kind: "baseline", Reason: "recorded in the baseline .portcullis/baseline.json"},
	}
	if diff := cmp.Diff(wantSup, got); diff != "" {
		t.Errorf("suppressions (-want +got):\n%s", diff)
	}
	// Optional keys are left out when empty; kind and location never are.
	out := string(jsonOut(t, reporttest.Triaged()))
	for _, want := range []string{
		"\"suppressed\": {\n        \"kind\": \"baseline\",\n        \"reason\": \"recorded in the baseline .portcullis/baseline.json\",\n        \"location\": null\n      }",
		"\"not_counted\": {\n      \"inline\": 1,\n      \"exception\": 1,\n      \"baseline\": 1,\n      \"excluded\": 1,\n      \"unchanged\": 1,\n      \"threshold\": 1\n    },",
	} {
		if !bytes.Contains([]byte(out), []byte(want)) {
			t.Errorf("output lacks\n%s", want)
		}
	}
	// Every key of not_counted is present when nothing is suppressed.
	if !bytes.Contains(jsonOut(t, reporttest.Empty()), []byte("\"not_counted\": {\n      \"inline\": 0,\n      \"exception\": 0,\n      \"baseline\": 0,\n      \"excluded\": 0,\n      \"unchanged\": 0,\n      \"threshold\": 0\n    },")) {
		t.Error("not_counted of an empty report")
	}
}

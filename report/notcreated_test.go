package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/policies/finding"
)

// A clean pass over resources that are all switched off says so.
func TestSummaryNotCreated(t *testing.T) {
	for _, tc := range []struct {
		notCreated int
		want       string
	}{
		{12, "No findings in 0 resources, 0 diagnostics; 12 resources not created (count = 0, empty for_each or a false CloudFormation Condition)"},
		{1, "No findings in 0 resources, 0 diagnostics; 1 resource not created (count = 0, empty for_each or a false CloudFormation Condition)"},
		{0, "No findings in 0 resources, 0 diagnostics"},
	} {
		r := &finding.Report{NotCreated: tc.notCreated}
		var text bytes.Buffer
		if err := WriteText(&text, r, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSuffix(text.String(), "\n"); got != tc.want {
			t.Errorf("text:\n got %q\nwant %q", got, tc.want)
		}
		var js bytes.Buffer
		if err := WriteJSON(&js, r); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Summary map[string]any `json:"summary"`
		}
		if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if got, ok := doc.Summary["not_created"].(float64); !ok || int(got) != tc.notCreated {
			t.Errorf("json summary.not_created = %v, want %d", doc.Summary["not_created"], tc.notCreated)
		}
	}
}

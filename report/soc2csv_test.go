package report

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/internal/golden"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report/reporttest"
)

func soc2Out(t *testing.T, r *finding.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSOC2CSV(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%v:\n%s", err, b)
	}
	return recs
}

func TestSOC2CSV(t *testing.T) {
	out := soc2Out(t, reporttest.Triaged())
	golden.Check(t, "testdata/soc2_triaged.csv", out)
	recs := readCSV(t, out)
	if diff := cmp.Diff(soc2Header, recs[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	// control, rule, severity, file:line:column, status of every row.
	var got [][]string
	for _, rec := range recs[1:] {
		got = append(got, []string{rec[0], rec[1], rec[3], rec[6] + ":" + rec[7] + ":" + rec[8], rec[10]})
	}
	want := [][]string{
		{"CC1.3", "PCL-AWS-002", "low", "main.tf:14:2", "open"},
		{"CC1.3", "PCL-AWS-002", "low", "main.tf:14:2", "threshold"},
		{"CC1.3", "PCL-AWS-002", "low", "main.tf:15:3", "unchanged"},
		{"CC1.3", "PCL-AWS-002", "medium", "main.tf:16:13", "open"},
		{"CC6.1", "PCL-AWS-003", "high", "examples/db.tf:2:23", "excluded"},
		{"CC6.1", "PCL-AWS-001", "high", "main.tf:6:19", "inline"},
		{"CC6.1", "PCL-AWS-001", "critical", "main.tf:9:19", "open"},
		{"CC6.1", "PCL-AWS-004", "high", "main.tf:13:1", "exception"},
		{"CC6.1", "PCL-AWS-003", "high", "main.tf:21:23", "open"},
		{"CC6.6", "PCL-AWS-001", "high", "main.tf:6:19", "inline"},
		{"CC6.6", "PCL-AWS-001", "critical", "main.tf:9:19", "open"},
		{"CC6.7", "PCL-AWS-003", "high", "examples/db.tf:2:23", "excluded"},
		{"CC6.7", "PCL-AWS-003", "high", "main.tf:21:23", "open"},
		{"", "PCL-AWS-005", "medium", "stack/legacy.yaml:4:3", "baseline"},
		{"", "PCL-AWS-005", "medium", "stack/other.yaml:2:3", "open"},
		{"", "PCL-AWS-005", "medium", "stack/template.yaml:2:3", "open"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// The exception's row in full.
	wantRow := []string{"CC6.1", "PCL-AWS-004", "S3 bucket does not block public access", "high", "aws_s3_bucket.logs", "aws_s3_bucket",
		"main.tf", "13", "1", "Bucket aws_s3_bucket.logs has no public access block.", "exception",
		"log bucket written by the load balancer only", "storage-team", "SEC-123", "2027-03-31",
		"727bc592e076420c549656e56c7c546cdb98e853c6107e1b16013e363896bc3f"}
	if diff := cmp.Diff(wantRow, recs[8]); diff != "" {
		t.Errorf("exception row (-want +got):\n%s", diff)
	}
	shuffled := reporttest.Triaged()
	reverse(shuffled.Findings)
	reverse(shuffled.Rules)
	if !bytes.Equal(soc2Out(t, shuffled), out) {
		t.Error("output depends on the order of the report's slices")
	}
	if got := string(soc2Out(t, reporttest.Empty())); got != "control,rule_id,rule_title,severity,resource,resource_type,file,line,column,message,status,reason,owner,ticket,expires,fingerprint\n" {
		t.Errorf("empty report: %q", got)
	}
}

func TestSOC2CSVInjection(t *testing.T) {
	r := &finding.Report{
		Rules: []finding.Rule{{ID: "R-1", Title: "@SUM(1+1)", Controls: []string{"SOC2:CC6.1", "SOC2:CC6.1", "CIS:1"}}},
		Findings: []finding.Finding{{
			RuleID: "R-1", Severity: finding.High, Message: "=HYPERLINK(\"http://evil\",\"x\")\nsecond line",
			Resource: "+cmd|' /C calc'!A0", Type: "-2+3", Root: ".",
			Location: finding.Location{Range: graph.Range{File: "\tfile.tf"}},
			Suppressed: &finding.Suppression{Kind: finding.SuppressedException, Reason: "\rreason", Owner: "=owner",
				Ticket: "ok-ticket", Expires: "2027-01-01"},
		}},
	}
	recs := readCSV(t, soc2Out(t, r))
	want := [][]string{soc2Header, {
		"CC6.1", "R-1", "'@SUM(1+1)", "high", "'+cmd|' /C calc'!A0", "'-2+3", "'\tfile.tf", "", "",
		"'=HYPERLINK(\"http://evil\",\"x\")\nsecond line", "exception", "'\rreason", "'=owner", "ok-ticket", "2027-01-01",
		finding.Finding{RuleID: "R-1", Root: ".", Resource: "+cmd|' /C calc'!A0"}.FingerprintHash(),
	}}
	if diff := cmp.Diff(want, recs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

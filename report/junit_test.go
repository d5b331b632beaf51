package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/internal/golden"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report/reporttest"
)

func junitOut(t *testing.T, r *finding.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wellFormed reads every token of an XML document and decodes it again.
func wellFormed(t *testing.T, b []byte) junitTestSuites {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, b)
		}
	}
	var doc junitTestSuites
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestJUnit(t *testing.T) {
	out := junitOut(t, reporttest.Triaged())
	golden.Check(t, "testdata/junit_triaged.xml", out)
	doc := wellFormed(t, out)
	if doc.Tests != 13 || doc.Failures != 6 || doc.Skipped != 6 || doc.Errors != 1 {
		t.Errorf("totals: %d tests, %d failures, %d skipped, %d errors", doc.Tests, doc.Failures, doc.Skipped, doc.Errors)
	}
	var got []string
	for _, s := range doc.Suites {
		var cases []string
		for _, c := range s.Cases {
			state := "pass"
			switch {
			case c.Failure != nil:
				state = "failure " + c.Failure.Type
			case c.Skipped != nil:
				state = "skipped " + c.Skipped.Message
			case c.Error != nil:
				state = "error " + c.Error.Message
			}
			cases = append(cases, c.Name+": "+state)
		}
		got = append(got, s.Name+" | "+strings.Join(cases, " | "))
	}
	want := []string{
		"PCL-AWS-001 Security group allows ingress from the internet | " +
			"main.tf:6:19 aws_security_group.web ingress.0.from_port: skipped inline: bastion host, reviewed in SEC-7; owner platform-team; expires 2027-01-31 | " +
			"main.tf:9:19 aws_security_group.web ingress.0.cidr_blocks: failure critical",
		"PCL-AWS-002 S3 bucket has no team tag | " +
			"main.tf:14:2 aws_s3_bucket.logs: failure low | " +
			"main.tf:14:2 aws_s3_bucket.logs bucket: skipped threshold: below the severity threshold (medium) | " +
			"main.tf:15:3 aws_s3_bucket.logs tags: skipped unchanged: not on a line changed since origin/main | " +
			"main.tf:16:13 aws_s3_bucket.logs tags.Owner: failure medium",
		"PCL-AWS-003 RDS instance storage is not encrypted | " +
			"examples/db.tf:2:23 aws_db_instance.sample storage_encrypted: skipped excluded: under examples/**, excluded by .portcullis.yaml | " +
			"main.tf:21:23 aws_db_instance.db storage_encrypted: failure high",
		"PCL-AWS-004 S3 bucket does not block public access | " +
			"main.tf:13:1 aws_s3_bucket.logs: skipped exception: log bucket written by the load balancer only; owner storage-team; ticket SEC-123; expires 2027-03-31",
		"PCL-AWS-005 SQS queue is not encrypted | " +
			"stack/legacy.yaml:4:3 Legacy: skipped baseline: recorded in the baseline .portcullis/baseline.json | " +
			"stack/other.yaml:2:3 Queue: failure medium | stack/template.yaml:2:3 Queue: failure medium",
		"portcullis diagnostics | broken.tf:1:1 Unsupported block type: error Unsupported block type",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suites (-want +got):\n%s", diff)
	}
	// A rule without findings passes.
	empty := wellFormed(t, junitOut(t, reporttest.Empty()))
	if empty.Tests != 5 || empty.Failures != 0 || len(empty.Suites) != 5 || empty.Suites[3].Cases[0].Name != "no findings" {
		t.Errorf("empty report: %+v", empty)
	}
	shuffled := reporttest.Triaged()
	reverse(shuffled.Findings)
	reverse(shuffled.Rules)
	reverse(shuffled.Diagnostics)
	if !bytes.Equal(junitOut(t, shuffled), out) {
		t.Error("output depends on the order of the report's slices")
	}
}

func TestJUnitHostileText(t *testing.T) {
	r := &finding.Report{
		Rules: []finding.Rule{{ID: "R-1", Title: "<b>bold</b> & \"quoted\"", Remediation: "]]> <!-- x -->"}},
		Findings: []finding.Finding{{
			RuleID: "R-1", Severity: finding.High, Message: "</failure><script>alert(1)</script>\x00\x1b]]>",
			Resource: "r\"'<>&", Location: finding.Location{Range: graph.Range{File: "a<b>.tf", Start: graph.Pos{Line: 2, Column: 1}}},
		}},
		Diagnostics: []graph.Diagnostic{{Severity: graph.SeverityError, Summary: "bad \x01 <x>", Detail: "]]>"}},
	}
	out := junitOut(t, r)
	doc := wellFormed(t, out)
	c := doc.Suites[0].Cases[0]
	if doc.Suites[0].Name != "R-1 <b>bold</b> & \"quoted\"" || c.Name != "a<b>.tf:2:1 r\"'<>&" || c.File != "a<b>.tf" ||
		c.Failure.Message != "</failure><script>alert(1)</script>\ufffd\ufffd]]>" {
		t.Errorf("round trip: %q %+v %+v", doc.Suites[0].Name, c, c.Failure)
	}
	if bytes.Contains(out, []byte("<script>")) || bytes.Contains(out, []byte{0}) || bytes.Contains(out, []byte{0x1b}) {
		t.Errorf("unescaped text:\n%s", out)
	}
}

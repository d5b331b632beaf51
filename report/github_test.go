package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report/reporttest"
)

func githubOut(t *testing.T, r *finding.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteGitHub(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGitHub(t *testing.T) {
	want := "" +
		"::error file=main.tf,line=9,col=19,endLine=9,endColumn=31,title=PCL-AWS-001%3A Security group allows ingress from the internet::Security group \"aws_security_group.web\" allows ingress from 0.0.0.0/0 on port 22\n" +
		"::notice file=main.tf,line=14,endLine=18,title=PCL-AWS-002%3A S3 bucket has no team tag::Bucket aws_s3_bucket.logs has no Owner tag naming a team.\n" +
		"::warning file=main.tf,line=16,col=13,endLine=16,endColumn=25,title=PCL-AWS-002%3A S3 bucket has no team tag::Owner tag names a person, not a team.\n" +
		"::error file=main.tf,line=21,col=23,endLine=21,endColumn=27,title=PCL-AWS-003%3A RDS instance storage is not encrypted::Storage of aws_db_instance.db is not encrypted.\n" +
		"::warning file=stack/other.yaml,line=2,col=3,endLine=2,endColumn=3,title=PCL-AWS-005%3A SQS queue is not encrypted::Queue is not encrypted.\n" +
		"::warning file=stack/template.yaml,line=2,col=3,endLine=2,endColumn=7,title=PCL-AWS-005%3A SQS queue is not encrypted::Queue is not encrypted.\n" +
		"::error file=broken.tf,line=1,col=1,endLine=1,endColumn=7,title=portcullis%3A scan incomplete::Unsupported block type: Blocks of type \"resourc\" are not expected here.\n"
	// Suppressed findings are not annotated: Triaged writes what Report does.
	for name, r := range map[string]*finding.Report{"report": reporttest.Report(), "triaged": reporttest.Triaged()} {
		if got := githubOut(t, r); got != want {
			t.Errorf("%s:\n%s\nwant\n%s", name, got, want)
		}
		shuffled := reporttest.Triaged()
		reverse(shuffled.Findings)
		reverse(shuffled.Diagnostics)
		if got := githubOut(t, shuffled); got != want {
			t.Errorf("%s: output depends on the order of the report's slices", name)
		}
	}
	if got := githubOut(t, reporttest.Empty()); got != "" {
		t.Errorf("empty report: %q", got)
	}
}

func TestGitHubHostileText(t *testing.T) {
	r := &finding.Report{
		Rules: []finding.Rule{{ID: "R-1", Title: "Title, with: colon\nand %0A"}},
		Findings: []finding.Finding{{
			RuleID: "R-1", Severity: finding.Critical,
			Message: "first line\r\n::error file=evil.tf::injected\n%0A::warning::also\x1b[31m",
			Location: finding.Location{Range: graph.Range{File: "dir,a:b/%25.tf",
				Start: graph.Pos{Line: 3, Column: 1}, End: graph.Pos{Line: 3, Column: 1}}},
		}, {
			// No location, no message.
			RuleID: "R-2", Severity: "bogus",
		}},
		Diagnostics: []graph.Diagnostic{
			{Severity: graph.SeverityError, Summary: "bad\nfile", Detail: "::endgroup::"},
			{Severity: graph.SeverityWarning, Summary: "not annotated"},
		},
	}
	want := "" +
		"::notice title=R-2::R-2\n" +
		"::error file=dir%2Ca%3Ab/%2525.tf,line=3,col=1,endLine=3,endColumn=1,title=R-1%3A Title%2C with%3A colon%0Aand %250A::" +
		"first line%0D%0A::error file=evil.tf::injected%0A%250A::warning::also\ufffd[31m\n" +
		"::error title=portcullis%3A scan incomplete::bad%0Afile: ::endgroup::\n"
	got := githubOut(t, r)
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	// Each command is one line: nothing hostile starts a line.
	for _, l := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		if !strings.HasPrefix(l, "::notice ") && !strings.HasPrefix(l, "::error ") {
			t.Errorf("line %q", l)
		}
	}
}

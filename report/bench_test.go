package report

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// oneLineReport is a minified CloudFormation template on one line (about
// 160 bytes per bucket, so 1.6 MB for 10,000 buckets, with non-ASCII
// names so that columns and bytes differ) and one finding per bucket at its
// AccessControl value.
func oneLineReport(buckets int) *finding.Report {
	var sb strings.Builder
	runes := 0 // code points written so far
	write := func(s string) {
		sb.WriteString(s)
		runes += utf8.RuneCountInString(s)
	}
	write(`{"AWSTemplateFormatVersion":"2010-09-09","Resources":{`)
	var findings []finding.Finding
	for i := range buckets {
		if i > 0 {
			write(",")
		}
		write(fmt.Sprintf(`"Bucket%05d":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"données-%05d-日本","Tags":[{"Key":"team","Value":"plateforme"}],"AccessControl":`, i, i))
		col := runes + 1
		write(`"PublicRead"}}`)
		findings = append(findings, finding.Finding{
			RuleID: "PCS-AWS-003", Severity: finding.High,
			Message:  fmt.Sprintf("S3 bucket \"Bucket%05d\" has a public ACL", i),
			Resource: fmt.Sprintf("Bucket%05d", i), Type: "AWS::S3::Bucket", Attribute: "AccessControl", Root: "template.json",
			Location: finding.Location{Range: graph.Range{File: "template.json",
				Start: graph.Pos{Line: 1, Column: col}, End: graph.Pos{Line: 1, Column: col + len(`"PublicRead"`)}}},
		})
	}
	write(`}}`)
	return &finding.Report{
		Tool: finding.Tool{Name: "portcullis", Version: "dev", RulesURI: "https://example.com/rules/"},
		Rules: []finding.Rule{{ID: "PCS-AWS-003", Name: "s3-public-acl", Title: "S3 bucket has a public ACL",
			Severity: finding.High, Remediation: "Remove `AccessControl` or set it to `Private`.", Builtin: true}},
		Findings:  findings,
		Sources:   map[string][]byte{"template.json": []byte(sb.String())},
		Resources: buckets,
	}
}

// BenchmarkTextOneLineManyFindings measures the text writer on findings
// that all quote one very long line; BenchmarkJSONOneLineManyFindings is the
// same report as JSON, the yardstick: both must grow linearly.
func BenchmarkTextOneLineManyFindings(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		r := oneLineReport(n)
		b.Run(fmt.Sprintf("findings=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(r.Sources["template.json"])))
			for b.Loop() {
				if err := WriteText(io.Discard, r, TextOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkJSONOneLineManyFindings: see BenchmarkTextOneLineManyFindings.
func BenchmarkJSONOneLineManyFindings(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		r := oneLineReport(n)
		b.Run(fmt.Sprintf("findings=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(r.Sources["template.json"])))
			for b.Loop() {
				if err := WriteJSON(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHTML measures the HTML report on 1,000 and 10,000 findings that
// all quote one very long line (each with its snippet): like the text
// writer, it must grow linearly.
func BenchmarkHTML(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		r := oneLineReport(n)
		b.Run(fmt.Sprintf("findings=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(r.Sources["template.json"])))
			for b.Loop() {
				if err := WriteHTML(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package reporttest

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// PolicySet is the policy-set digest of Triaged.
const PolicySet = "sha256:5f0c6a3d9e1b2c4a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a"

// ScanTime is the scan time of Triaged.
var ScanTime = time.Date(2026, 11, 30, 14, 5, 9, 0, time.UTC)

// Triaged returns Report after a triage stage: the same open findings,
// plus one suppressed finding of every kind (inline, exception, baseline,
// excluded, unchanged, threshold) with reasons, owners, tickets and
// expiry dates where the kind has them; the rules list SOC 2 controls the
// way the built-in rules do ("SOC2:CC6.1"), PCL-AWS-005 lists none; and
// the report records the scanned files' digests, the scan time and the
// policy set.
func Triaged() *finding.Report {
	r := Report()
	for i := range r.Rules {
		switch r.Rules[i].ID {
		case "PCL-AWS-001":
			r.Rules[i].Controls = []string{"SOC2:CC6.1", "SOC2:CC6.6", "CIS-AWS-3.0:5.2"}
		case "PCL-AWS-002":
			r.Rules[i].Controls = []string{"SOC2:CC1.3"}
		case "PCL-AWS-003":
			r.Rules[i].Controls = []string{"SOC2:CC6.1", "SOC2:CC6.7"}
		case "PCL-AWS-004":
			r.Rules[i].Controls = []string{"SOC2:CC6.1"}
		}
	}
	src := []byte(MainTF)
	at := func(file string, line, col int) graph.Pos {
		p := graph.Pos{Line: line, Column: col}
		if file == "main.tf" {
			p.Byte = byteOffset(src, line, col)
		}
		return p
	}
	span := func(file string, line, col, endCol int) graph.Range {
		return graph.Range{File: file, Start: at(file, line, col), End: at(file, line, endCol)}
	}
	r.Findings = append(r.Findings,
		finding.Finding{
			RuleID: "PCL-AWS-001", Severity: finding.High,
			Message:  `Security group "aws_security_group.web" allows ingress from 0.0.0.0/0 on port 22`,
			Resource: "aws_security_group.web", Type: "aws_security_group", Attribute: "ingress.0.from_port", Root: ".",
			Location: finding.Location{Range: span("main.tf", 6, 19, 21)},
			Suppressed: &finding.Suppression{Kind: finding.SuppressedInline, Reason: "bastion host, reviewed in SEC-7",
				Owner: "platform-team", Expires: "2027-01-31", Range: span("main.tf", 5, 3, 12)},
		},
		finding.Finding{
			RuleID: "PCL-AWS-004", Severity: finding.High,
			Message:  "Bucket aws_s3_bucket.logs has no public access block.",
			Resource: "aws_s3_bucket.logs", Type: "aws_s3_bucket", Root: ".",
			Location: finding.Location{Range: span("main.tf", 13, 1, 34)},
			Suppressed: &finding.Suppression{Kind: finding.SuppressedException, Reason: "log bucket written by the load balancer only",
				Owner: "storage-team", Ticket: "SEC-123", Expires: "2027-03-31", Range: span(".portcullis/exceptions.yaml", 3, 5, 30)},
		},
		finding.Finding{
			RuleID: "PCL-AWS-005", Severity: finding.Medium, Message: "Queue is not encrypted.",
			Resource: "Legacy", Type: "AWS::SQS::Queue", Root: "stack/legacy.yaml",
			Location:   finding.Location{Range: span("stack/legacy.yaml", 4, 3, 9)},
			Suppressed: &finding.Suppression{Kind: finding.SuppressedBaseline, Reason: "recorded in the baseline .portcullis/baseline.json"},
		},
		finding.Finding{
			RuleID: "PCL-AWS-003", Severity: finding.High, Message: "Storage of aws_db_instance.sample is not encrypted.",
			Resource: "aws_db_instance.sample", Type: "aws_db_instance", Attribute: "storage_encrypted", Root: "examples",
			Location:   finding.Location{Range: span("examples/db.tf", 2, 23, 28)},
			Suppressed: &finding.Suppression{Kind: finding.SuppressedExcluded, Reason: "under examples/**, excluded by .portcullis.yaml"},
		},
		finding.Finding{
			RuleID: "PCL-AWS-002", Severity: finding.Low, Message: "Bucket aws_s3_bucket.logs has no Team tag.",
			Resource: "aws_s3_bucket.logs", Type: "aws_s3_bucket", Attribute: "tags", Root: ".",
			Location:   finding.Location{Range: span("main.tf", 15, 3, 7)},
			Suppressed: &finding.Suppression{Kind: finding.SuppressedUnchanged, Reason: "not on a line changed since origin/main"},
		},
		finding.Finding{
			RuleID: "PCL-AWS-002", Severity: finding.Low, Message: "Bucket name does not start with the team's prefix.",
			Resource: "aws_s3_bucket.logs", Type: "aws_s3_bucket", Attribute: "bucket", Root: ".",
			Location:   finding.Location{Range: span("main.tf", 14, 2, 8)},
			Suppressed: &finding.Suppression{Kind: finding.SuppressedThreshold, Reason: "below the severity threshold (medium)"},
		},
	)
	r.Files = map[string]string{}
	for name, b := range r.Sources {
		sum := sha256.Sum256(b)
		r.Files[name] = hex.EncodeToString(sum[:])
	}
	r.Time = ScanTime
	r.PolicySet = PolicySet
	r.Sort()
	return r
}

// byteOffset is the byte offset of a 1-based line and code-point column.
func byteOffset(src []byte, line, col int) int {
	i := 0
	for l := 1; l < line && i < len(src); i++ {
		if src[i] == '\n' {
			l++
		}
	}
	for c := 1; c < col && i < len(src); c++ {
		_, n := utf8.DecodeRune(src[i:])
		i += n
	}
	return i
}

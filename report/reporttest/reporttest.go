// Package reporttest builds representative reports for the writers' tests
// (sarif/ and report/) and for anyone else who needs a realistic
// finding.Report: several rules (one without findings), a finding of each
// severity, a multi-line range, a line with non-ASCII text and a tab, related
// locations, and diagnostics with and without a range.
package reporttest

import (
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// MainTF is the source of main.tf in Report. Line 13 starts with a tab and
// line 16 holds non-ASCII text, so that columns (code points) differ from
// bytes and display cells.
const MainTF = `resource "aws_security_group" "web" {
  name        = "web"
  description = "Web servers"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_s3_bucket" "logs" {
	bucket = "logs"
  tags = {
    Owner = "Zoë 日本 team"
  }
}

resource "aws_db_instance" "db" {
  storage_encrypted = false
}
`

// VariablesTF is the source of variables.tf in Report.
const VariablesTF = `variable "cidr" {
  default = "0.0.0.0/0"
}
`

// TemplateYAML is the source of stack/template.yaml in Report.
const TemplateYAML = "Resources:\r\n  Queue:\r\n    Type: AWS::SQS::Queue\r\n"

func pos(line, col, byteOff int) graph.Pos { return graph.Pos{Line: line, Column: col, Byte: byteOff} }

func rng(file string, start, end graph.Pos) graph.Range {
	return graph.Range{File: file, Start: start, End: end}
}

// Rules returns the rule metadata of Report, sorted by ID.
func Rules() []finding.Rule {
	return []finding.Rule{
		{
			ID:          "PCL-AWS-001",
			Name:        "sg-open-ingress",
			Title:       "Security group allows ingress from the internet",
			Description: "A security group rule admits traffic from 0.0.0.0/0 or ::/0, exposing the port to the whole internet.",
			Severity:    finding.Critical,
			Controls:    []string{"CC6.1", "CC6.6", "CIS-AWS-5.2"},
			Remediation: "Restrict `cidr_blocks` to the networks that need access, or put the service behind a load balancer.\n\nFor administrative access prefer AWS Systems Manager Session Manager over SSH:\n\n```hcl\ncidr_blocks = [\"10.0.0.0/8\"]\n```",
			ResourceTypes: []string{
				"aws_security_group", "aws_security_group_rule", "AWS::EC2::SecurityGroup",
			},
			Precision: "very-high",
			Package:   "portcullis.aws.sg_open_ingress",
			File:      "policies/aws/sg_open_ingress.rego",
			Builtin:   true,
		},
		{
			ID:            "PCL-AWS-002",
			Name:          "s3-bucket-missing-owner-tag",
			Title:         "S3 bucket has no team tag",
			Description:   "Buckets must say which team owns them.",
			Severity:      finding.Low,
			Controls:      []string{"CC1.3"},
			Remediation:   "Add an `Owner` tag naming a team alias.",
			ResourceTypes: []string{"aws_s3_bucket"},
			Builtin:       true,
		},
		{
			ID:            "PCL-AWS-003",
			Name:          "rds-unencrypted",
			Title:         "RDS instance storage is not encrypted",
			Description:   "Database storage must be encrypted at rest.",
			Severity:      finding.High,
			Controls:      []string{"CC6.1", "CC6.7"},
			Remediation:   "Set `storage_encrypted = true`.",
			ResourceTypes: []string{"aws_db_instance"},
			Precision:     "high",
			Builtin:       true,
		},
		{
			ID:            "PCL-AWS-004",
			Name:          "s3-bucket-block-public-access",
			Title:         "S3 bucket does not block public access",
			Description:   "Every bucket needs a public access block.",
			Severity:      finding.High,
			Controls:      []string{"CC6.1"},
			Remediation:   "Add an `aws_s3_bucket_public_access_block` resource.",
			ResourceTypes: []string{"aws_s3_bucket"},
			Builtin:       true,
		},
		{
			ID:            "PCL-AWS-005",
			Name:          "sqs-unencrypted",
			Title:         "SQS queue is not encrypted",
			Description:   "Queues must use server-side encryption.",
			Severity:      finding.Medium,
			Controls:      nil,
			Remediation:   "Set `KmsMasterKeyId` or `SqsManagedSseEnabled: true`.",
			ResourceTypes: []string{"AWS::SQS::Queue"},
			Builtin:       true,
		},
	}
}

// Report returns a representative report: findings of every severity (in
// canonical order), a multi-line range (the bucket block), a range on a line
// with non-ASCII text, a finding without an end position, related locations,
// and diagnostics with and without a range. Rule PCL-AWS-004 has no finding.
func Report() *finding.Report {
	r := &finding.Report{
		Tool: finding.Tool{
			Name:           "portcullis",
			Version:        "1.2.3",
			InformationURI: "https://github.com/portcullis-iac/portcullis",
			RulesURI:       "https://github.com/portcullis-iac/portcullis/blob/main/",
		},
		Rules: Rules(),
		Findings: []finding.Finding{
			{
				RuleID:    "PCL-AWS-001",
				Severity:  finding.Critical,
				Message:   `Security group "aws_security_group.web" allows ingress from 0.0.0.0/0 on port 22`,
				Resource:  "aws_security_group.web",
				Type:      "aws_security_group",
				Attribute: "ingress.0.cidr_blocks",
				Root:      ".",
				Location: finding.Location{
					Range: rng("main.tf", pos(9, 19, 187), pos(9, 32, 200)),
					Related: []graph.Origin{
						{Description: "value from the default of var.cidr", Range: rng("variables.tf", pos(2, 13, 30), pos(2, 24, 41))},
						{Description: "value passed as argument cidr of module.net", Range: graph.Range{}},
					},
				},
			},
			{
				// Multi-line: the whole bucket block; the block's first line
				// starts with a tab.
				RuleID:   "PCL-AWS-002",
				Severity: finding.Low,
				Message:  "Bucket aws_s3_bucket.logs has no Owner tag naming a team.",
				Resource: "aws_s3_bucket.logs",
				Type:     "aws_s3_bucket",
				Root:     ".",
				Location: finding.Location{
					Range: rng("main.tf", pos(14, 2, 243), pos(18, 2, 306)),
				},
			},
			{
				// On the line with non-ASCII text: the value "Zoë 日本 team".
				RuleID:    "PCL-AWS-002",
				Severity:  finding.Medium,
				Message:   "Owner tag names a person, not a team.",
				Resource:  "aws_s3_bucket.logs",
				Type:      "aws_s3_bucket",
				Attribute: "tags.Owner",
				Root:      ".",
				Location: finding.Location{
					Range: rng("main.tf", pos(16, 13, 282), pos(16, 26, 300)),
				},
			},
			{
				RuleID:    "PCL-AWS-003",
				Severity:  finding.High,
				Message:   "Storage of aws_db_instance.db is not encrypted.",
				Resource:  "aws_db_instance.db",
				Type:      "aws_db_instance",
				Attribute: "storage_encrypted",
				Root:      ".",
				Location: finding.Location{
					Range: rng("main.tf", pos(21, 23, 364), pos(21, 28, 369)),
				},
			},
			{
				// No end position, and its file is not in Sources.
				RuleID:   "PCL-AWS-005",
				Severity: finding.Medium,
				Message:  "Queue is not encrypted.",
				Resource: "Queue",
				Type:     "AWS::SQS::Queue",
				Root:     "stack/other.yaml",
				Location: finding.Location{
					Range: graph.Range{File: "stack/other.yaml", Start: pos(2, 3, 14)},
				},
			},
			{
				RuleID:   "PCL-AWS-005",
				Severity: finding.Medium,
				Message:  "Queue is not encrypted.",
				Resource: "Queue",
				Type:     "AWS::SQS::Queue",
				Root:     "stack/template.yaml",
				Location: finding.Location{
					Range: rng("stack/template.yaml", pos(2, 3, 14), pos(2, 8, 19)),
				},
			},
		},
		Diagnostics: []graph.Diagnostic{
			{
				Severity: graph.SeverityWarning,
				Summary:  "Module not installed",
				Detail:   "Run \"terraform init\" to install module \"net\"; its resources were not scanned.",
			},
			{
				Severity: graph.SeverityError,
				Summary:  "Unsupported block type",
				Detail:   "Blocks of type \"resourc\" are not expected here.",
				Range:    rng("broken.tf", pos(1, 1, 0), pos(1, 8, 7)),
			},
		},
		Sources: map[string][]byte{
			"main.tf":             []byte(MainTF),
			"variables.tf":        []byte(VariablesTF),
			"stack/template.yaml": []byte(TemplateYAML),
		},
		Resources: 12,
	}
	r.Sort()
	return r
}

// Empty returns a report of a scan that found nothing: the same rules and
// tool, no findings, no diagnostics.
func Empty() *finding.Report {
	return &finding.Report{
		Tool: finding.Tool{
			Name:           "portcullis",
			Version:        "1.2.3",
			InformationURI: "https://github.com/portcullis-iac/portcullis",
			RulesURI:       "https://github.com/portcullis-iac/portcullis/blob/main/",
		},
		Rules:     Rules(),
		Resources: 3,
	}
}

# METADATA
# title: S3 bucket accepts requests without TLS
# description: |
#   S3 answers plain HTTP as well as HTTPS unless the bucket policy refuses it.
#   A client, SDK setting or proxy that falls back to HTTP sends request
#   signatures, object data and metadata in clear text, where anyone on the
#   path can read or alter them. Requiring encryption in transit is a SOC 2
#   CC6.7 expectation for data moving across networks, and both CIS AWS 2.1.1
#   and AWS Foundational Security Best Practices S3.5 ask for a bucket policy
#   that denies requests whose aws:SecureTransport is false.
#
#   The rule reports a bucket (aws_s3_bucket, AWS::S3::Bucket) whose bucket
#   policies have no statement with Effect Deny, Principal "*" (or AWS "*"),
#   an Action covering every S3 action ("s3:*" or "*") and a Bool (or
#   BoolIfExists) condition on aws:SecureTransport with the value false (key
#   and value compared without regard to case). It reads the policy of
#   aws_s3_bucket_policy and the legacy inline aws_s3_bucket policy, as a JSON
#   string (a heredoc, jsonencode of known values) or as a reference to
#   data.aws_iam_policy_document sources (their statement blocks, followed
#   through source_policy_documents and override_policy_documents), and the
#   PolicyDocument of AWS::S3::BucketPolicy. A bucket without any policy is
#   reported at the bucket; a policy that lacks the statement is reported at
#   its policy attribute. A policy that cannot be known statically is not
#   reported: one built from a variable or from attributes of other resources
#   (jsonencode over a bucket ARN is unknown as a whole), a statement list or
#   statement block that is unknown, or a statement that would be the deny if
#   its unknown effect, action, principal or condition allowed it (an Allow
#   statement with an unknown principal does not stop the report). Neither is
#   any bucket without a policy when an aws_s3_bucket_policy of the root (or
#   an AWS::S3::BucketPolicy of the template) names its bucket without a
#   reference to it (a plain string, a variable, each.value), or when the
#   template uses a CloudFormation module (a ::MODULE type, a Rain module):
#   it may be that bucket's policy.
# custom:
#   id: PCS-AWS-021
#   name: s3-tls-only
#   severity: medium
#   precision: high
#   controls:
#     - "SOC2:CC6.7"
#     - "AWS-FSBP:S3.5"
#     - "CIS-AWS-3.0:2.1.1"
#   remediation: |
#     Add a statement to the bucket policy that denies every S3 action, for
#     every principal, on the bucket and its objects when the request does not
#     use TLS. Merge it into the existing policy if the bucket has one (a bucket
#     has a single policy).
#
#     ```hcl
#     data "aws_iam_policy_document" "data_tls_only" {
#       statement {
#         sid     = "DenyInsecureTransport"
#         effect  = "Deny"
#         actions = ["s3:*"]
#         resources = [
#           aws_s3_bucket.data.arn,
#           "${aws_s3_bucket.data.arn}/*",
#         ]
#         principals {
#           type        = "*"
#           identifiers = ["*"]
#         }
#         condition {
#           test     = "Bool"
#           variable = "aws:SecureTransport"
#           values   = ["false"]
#         }
#       }
#     }
#
#     resource "aws_s3_bucket_policy" "data" {
#       bucket = aws_s3_bucket.data.id
#       policy = data.aws_iam_policy_document.data_tls_only.json
#     }
#     ```
#
#     ```yaml
#     DataBucketPolicy:
#       Type: AWS::S3::BucketPolicy
#       Properties:
#         Bucket: !Ref DataBucket
#         PolicyDocument:
#           Version: "2012-10-17"
#           Statement:
#             - Sid: DenyInsecureTransport
#               Effect: Deny
#               Principal: "*"
#               Action: "s3:*"
#               Resource:
#                 - !GetAtt DataBucket.Arn
#                 - !Sub "${DataBucket.Arn}/*"
#               Condition:
#                 Bool:
#                   aws:SecureTransport: false
#     ```
#   resource_types:
#     - aws_s3_bucket
#     - aws_s3_bucket_policy
#     - aws_iam_policy_document
#     - AWS::S3::Bucket
#     - AWS::S3::BucketPolicy
package portcullis.aws.s3.s3_tls_only

import data.portcullis.aws.s3.buckets
import data.portcullis.lib.resource

_types := {"aws_s3_bucket_policy", "AWS::S3::BucketPolicy"}

_expected := "a Deny statement for s3:* and every principal with the condition Bool aws:SecureTransport = false"

deny contains finding if {
	some res in buckets.buckets
	count(buckets.policies(res)) == 0
	not buckets.suppressed(_types)
	finding := {
		"resource": res.address,
		"attribute": "",
		"message": sprintf("S3 bucket %s has no bucket policy denying requests made without TLS; add %s", [res.address, _expected]),
	}
}

deny contains finding if {
	some res in buckets.buckets
	some finding in buckets.reportable(res, {_state(p) | some p in buckets.policies(res)}, _types)
}

# A policy resource whose bucket cannot be joined is judged on its own: a
# bucket has a single policy.
deny contains finding if {
	some cfg in resource.of_types(_types)
	not buckets.joined(cfg)
	p := object.union(buckets.policy_of(cfg), {"resource": cfg.address})
	s := _state(p)
	s.state == "bad"
	finding := s.finding
}

_state(p) := buckets.ok if {
	some s in p.statements
	_denies_insecure_transport(s)
} else := buckets.unknown if {
	p.unknown
} else := buckets.unknown if {
	# a statement that would deny insecure transport if its unknown parts
	# allowed it
	some s in p.statements
	count(s.unknown) > 0
	_may_deny(s)
} else := {"state": "bad", "finding": {
	"resource": p.resource,
	"attribute": p.attribute,
	"message": sprintf("%s%s does not deny requests made without TLS; add %s", [_policy_label(p.resource), _from(p.documents), _expected]),
}}

_policy_label(address) := sprintf("Bucket policy of S3 bucket %s", [address]) if {
	input.resources[address].type in buckets.bucket_types
} else := sprintf("Bucket policy %s", [address])

_from(documents) := "" if count(documents) == 0

else := sprintf(" (from %s)", [concat(", ", sort(documents))])

_denies_insecure_transport(s) if {
	_field("effect", s)
	_field("actions", s)
	_field("principals", s)
	_field("conditions", s)
}

# _may_deny(s): every field of s is as required or not known statically.
_may_deny(s) if {
	every name in ["effect", "actions", "principals", "conditions"] {
		_possible(name, s)
	}
}

_possible(name, s) if name in s.unknown

_possible(name, s) if _field(name, s)

# _field(name, s): the field of the statement s is as required.
_field("effect", s) if s.effect == "deny"

_field("actions", s) if {
	some a in s.actions
	a in {"s3:*", "*"}
}

_field("principals", s) if {
	some p in s.principals
	p in {"*:*", "aws:*"}
}

_field("conditions", s) if {
	some c in s.conditions
	c.op in {"bool", "boolifexists"}
	c.key == "aws:securetransport"
	"false" in c.values
}

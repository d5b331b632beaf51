# METADATA
# title: S3 bucket not encrypted with a customer-managed KMS key
# description: |
#   S3 encrypts every new object, but by default with keys S3 owns and manages
#   (SSE-S3, AES256), or, with aws:kms and no key given, with the AWS-managed
#   key aws/s3. With either, anyone allowed to read the object reads it in
#   clear: the key adds no access control of its own, its use cannot be
#   restricted or revoked by a key policy, and it cannot be disabled to cut off
#   access to the data in an incident. A customer-managed KMS key puts a second,
#   separately audited permission in front of the data (every decryption is a
#   CloudTrail event on a key whose policy you own), which is what SOC 2 CC6.1
#   (restricting access to data) and CC6.7 (protecting data, including at
#   rest) expect of confidential data, and what AWS Foundational Security Best
#   Practices S3.17 asks (encryption at rest with AWS KMS keys; this rule is
#   stricter and also refuses the AWS-managed key).
#
#   The rule reports a bucket (aws_s3_bucket, AWS::S3::Bucket) whose default
#   encryption is missing (S3 then uses SSE-S3), uses AES256 or another
#   algorithm than aws:kms and aws:kms:dsse, uses aws:kms or aws:kms:dsse
#   without a key, or names the AWS-managed key (alias/aws/s3, also as an alias
#   ARN, or through a data.aws_kms_alias or data.aws_kms_key that looks it up
#   by that alias). It reads aws_s3_bucket_server_side_encryption_configuration joined to
#   the bucket through its bucket reference, the legacy inline
#   server_side_encryption_configuration block, and the CloudFormation
#   BucketEncryption property. A key given by reference (aws_kms_key.x.arn)
#   or by a value unknown statically counts as a customer-managed key, and an
#   algorithm that is not known statically is not reported. When an
#   aws_s3_bucket_server_side_encryption_configuration of the root names its
#   bucket without a reference to it (a plain string, a variable, each.value),
#   it may configure any bucket: buckets are then not reported for missing
#   encryption, while that configuration is still judged on its own.
#
#   A bucket that receives the server access logs of other buckets, or the
#   access logs of a load balancer, is not reported: AWS delivers those logs
#   only to buckets encrypted with SSE-S3 (SSE-KMS is not supported there). A
#   server access log bucket is recognised as the rule s3-access-logging does
#   (a target_bucket or DestinationBucketName that references it, the
#   log-delivery-write ACL, or a bucket policy allowing
#   logging.s3.amazonaws.com); a load balancer log bucket by the reference of
#   an aws_lb, aws_alb or aws_elb access_logs or connection_logs block, a
#   CloudFormation AccessLoggingPolicy or a LoadBalancerAttributes value, or by
#   a bucket policy that lets Elastic Load Balancing deliver the logs (the
#   logdelivery.elasticloadbalancing.amazonaws.com service, or the account of
#   data.aws_elb_service_account), as a log bucket shared with the load
#   balancers of other configurations has. (A Network Load Balancer accepts
#   SSE-KMS; its log bucket is not reported either.) Keep such buckets apart
#   from other data.
# custom:
#   id: PCS-AWS-020
#   name: s3-encryption-customer-key
#   severity: medium
#   precision: high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC6.7"
#     - "AWS-FSBP:S3.17"
#   remediation: |
#     Create a KMS key for the data (with rotation enabled and a key policy
#     granting only the roles that need the data) and make it the bucket's
#     default encryption key. bucket_key_enabled reduces the cost of KMS
#     requests.
#
#     ```hcl
#     resource "aws_kms_key" "data" {
#       description         = "Encryption of the data bucket"
#       enable_key_rotation = true
#     }
#
#     resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
#       bucket = aws_s3_bucket.data.id
#
#       rule {
#         apply_server_side_encryption_by_default {
#           sse_algorithm     = "aws:kms"
#           kms_master_key_id = aws_kms_key.data.arn
#         }
#         bucket_key_enabled = true
#       }
#     }
#     ```
#
#     ```yaml
#     DataBucket:
#       Type: AWS::S3::Bucket
#       Properties:
#         BucketEncryption:
#           ServerSideEncryptionConfiguration:
#             - ServerSideEncryptionByDefault:
#                 SSEAlgorithm: aws:kms
#                 KMSMasterKeyID: !GetAtt DataKey.Arn
#               BucketKeyEnabled: true
#     ```
#   resource_types:
#     - aws_s3_bucket
#     - aws_s3_bucket_server_side_encryption_configuration
#     - aws_s3_bucket_logging
#     - aws_s3_bucket_acl
#     - aws_s3_bucket_policy
#     - aws_iam_policy_document
#     - aws_elb_service_account
#     - aws_kms_alias
#     - aws_kms_key
#     - aws_lb
#     - aws_alb
#     - aws_elb
#     - AWS::S3::Bucket
#     - AWS::S3::BucketPolicy
#     - AWS::ElasticLoadBalancing::LoadBalancer
#     - AWS::ElasticLoadBalancingV2::LoadBalancer
package portcullis.aws.s3.s3_encryption_customer_key

import data.portcullis.aws.s3.buckets
import data.portcullis.lib.resource

_split := "aws_s3_bucket_server_side_encryption_configuration"

_kms := {"aws:kms", "aws:kms:dsse"}

# The attribute names of the two forms.
_terraform := {"default": "apply_server_side_encryption_by_default", "algorithm": "sse_algorithm", "key": "kms_master_key_id"}

_cloudformation := {"default": "ServerSideEncryptionByDefault", "algorithm": "SSEAlgorithm", "key": "KMSMasterKeyID"}

deny contains finding if {
	some res in buckets.buckets
	not _sse_s3_only(res)
	count(_states(res)) == 0
	not buckets.suppressed({_split})
	finding := {
		"resource": res.address,
		"attribute": "",
		"message": sprintf("S3 bucket %s has no default encryption configuration, so S3 encrypts objects with S3-managed keys (SSE-S3); configure aws:kms with a customer-managed KMS key", [res.address]),
	}
}

deny contains finding if {
	some res in buckets.buckets
	not _sse_s3_only(res)
	some finding in buckets.reportable(res, _states(res), {_split})
}

# A configuration whose bucket cannot be joined is judged on its own.
deny contains finding if {
	some cfg in object.get(resource.by_type, _split, {})
	not buckets.joined(cfg)
	some s in _rules_states(cfg, [], _terraform)
	s.state == "bad"
	finding := s.finding
}

# _sse_s3_only(res): the bucket receives logs that AWS delivers only to
# buckets encrypted with S3-managed keys.
_sse_s3_only(res) if buckets.log_target(res)

_sse_s3_only(res) if buckets.load_balancer_log_target(res)

# _states(res): the states of every default encryption rule that applies to
# the bucket res: its own and those of its joined configurations.
_states(res) := _own_states(res) | {s |
	some address in buckets.configs(res, _split)
	some s in _rules_states(input.resources[address], [], _terraform)
}

_own := {
	"aws_s3_bucket": ["server_side_encryption_configuration"],
	"AWS::S3::Bucket": ["BucketEncryption", "ServerSideEncryptionConfiguration"],
}

_own_states(res) := {buckets.unknown} if {
	_structure_unknown(res, _own[res.type])
} else := {s |
	some i, _ in buckets.as_list(resource.value(res, ["server_side_encryption_configuration"]))
	some s in _rules_states(res, ["server_side_encryption_configuration", i], _terraform)
} if {
	res.type == "aws_s3_bucket"
} else := {s |
	some j, _ in buckets.as_list(resource.value(res, _own[res.type]))
	some s in _rule_states(res, array.concat(_own[res.type], [j]), _cloudformation)
}

# _structure_unknown(r, segments): the value at segments (or around it) is
# unknown, or a dynamic block with an unknown for_each generates it or
# something in it. An unknown leaf inside (a key) is not.
_structure_unknown(r, segments) if resource.unknown(r, segments)

_structure_unknown(r, segments) if buckets.dynamic_unknown(r, resource.path(segments))

# _rules_states(r, prefix, n): the states of the Terraform rule blocks at
# prefix ("" for the configuration resource itself).
_rules_states(r, prefix, n) := {buckets.unknown} if {
	_structure_unknown(r, array.concat(prefix, ["rule"]))
} else := {s |
	some j, _ in buckets.as_list(resource.value(r, array.concat(prefix, ["rule"])))
	some s in _rule_states(r, array.concat(prefix, ["rule", j]), n)
}

# _rule_states(r, rp, n): the states of the rule at rp: one per default
# encryption block (a list of blocks in Terraform, an object in
# CloudFormation).
_rule_states(r, rp, n) := {buckets.unknown} if {
	_structure_unknown(r, rp)
} else := {_default_state(r, dp, n) | some dp in paths} if {
	paths := _default_paths(r, rp, n)
	count(paths) > 0
} else := {buckets.bad(r, rp, sprintf(
	"%s has an encryption rule without %s, so S3 encrypts objects with S3-managed keys (SSE-S3); configure aws:kms with a customer-managed KMS key",
	[buckets.label(r), n["default"]],
))}

_default_paths(r, rp, n) := [array.concat(rp, [n["default"], k]) | some k, _ in v] if {
	v := resource.value(r, array.concat(rp, [n["default"]]))
	is_array(v)
} else := [array.concat(rp, [n["default"]])] if {
	is_object(resource.value(r, array.concat(rp, [n["default"]])))
} else := []

# _default_state(r, dp, n): the state of the default encryption block at dp.
_default_state(r, dp, n) := buckets.unknown if {
	buckets.uncertain(r, array.concat(dp, [n.algorithm]))
} else := _kms_state(r, array.concat(dp, [n.key]), n) if {
	resource.value(r, array.concat(dp, [n.algorithm])) in _kms
} else := buckets.unknown if {
	# required by the schema; left to the provider
	resource.value(r, array.concat(dp, [n.algorithm])) == null
} else := buckets.bad(r, array.concat(dp, [n.algorithm]), sprintf(
	"%s sets %s to \"%v\"%s; configure aws:kms with a customer-managed KMS key",
	[buckets.label(r), n.algorithm, resource.value(r, array.concat(dp, [n.algorithm])), _meaning(resource.value(r, array.concat(dp, [n.algorithm])))],
))

_meaning(algorithm) := " (S3-managed keys, SSE-S3)" if algorithm == "AES256"

else := ""

_kms_state(r, kp, n) := buckets.bad(r, kp, sprintf(
	"%s sets %s to the AWS-managed key alias/aws/s3; use a customer-managed KMS key",
	[buckets.label(r), n.key],
)) if {
	_aws_managed(resource.value(r, kp))
} else := buckets.bad(r, kp, sprintf(
	"%s sets %s to the AWS-managed key alias/aws/s3 (looked up by %s); use a customer-managed KMS key",
	[buckets.label(r), n.key, concat(", ", sort(_aws_managed_lookups(r, kp)))],
)) if {
	count(_aws_managed_lookups(r, kp)) > 0
} else := buckets.ok if {
	_key_given(r, kp)
} else := buckets.bad(r, dp, sprintf(
	"%s uses %s without %s, so S3 uses the AWS-managed key aws/s3; set %s to a customer-managed KMS key",
	[buckets.label(r), resource.value(r, array.concat(dp, [n.algorithm])), n.key, n.key],
)) if {
	dp := array.slice(kp, 0, count(kp) - 1)
}

_aws_managed(v) if endswith(buckets.lower_string(v), "alias/aws/s3")

# _aws_managed_lookups(r, kp): the data sources that the key at kp references
# and that look up the AWS-managed key (data.aws_kms_alias with name
# alias/aws/s3, data.aws_kms_key with key_id alias/aws/s3 or its ARN).
_aws_managed_lookups(r, kp) := {address |
	some address in resource.targets(r, resource.path(kp))
	lookup := input.resources[address]
	lookup.mode == "data"
	some attribute in _lookup_attribute[lookup.type]
	_aws_managed(resource.value(lookup, [attribute]))
}

_lookup_attribute := {"aws_kms_alias": ["name"], "aws_kms_key": ["key_id"]}

_key_given(r, kp) if buckets.uncertain(r, kp)

_key_given(r, kp) if count(resource.targets(r, resource.path(kp))) > 0

_key_given(r, kp) if {
	v := resource.value(r, kp)
	v != null
	buckets.lower_string(v) != ""
}

_key_given(r, kp) if {
	v := resource.value(r, kp)
	v != null
	not is_string(v)
}

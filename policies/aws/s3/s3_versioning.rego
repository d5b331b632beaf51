# METADATA
# title: S3 bucket without versioning
# description: |
#   Without versioning, an object overwritten or deleted (by mistake, by a
#   faulty deployment, or by an attacker or ransomware holding write access)
#   is gone: S3 keeps no earlier version to restore. Versioning keeps every
#   version of every object, so data can be recovered to a point before the
#   incident; it is also what replication, object lock and MFA delete build
#   on. It is part of the backup and recovery measures SOC 2 A1.2 expects
#   (availability) and AWS Foundational Security Best Practices S3.14 asks for.
#   Pair it with lifecycle rules that expire old versions, to bound the cost.
#
#   The rule reports a bucket (aws_s3_bucket, AWS::S3::Bucket) whose
#   versioning is not enabled: no aws_s3_bucket_versioning joined to it
#   through its bucket reference, no legacy versioning block with
#   enabled = true, no CloudFormation VersioningConfiguration with Status
#   Enabled (reported at the bucket); a status other than Enabled
#   ("Suspended", "Disabled") or enabled = false (reported at that value); a
#   legacy versioning block without enabled (it defaults to false). A status
#   that is not known statically is not reported. When an
#   aws_s3_bucket_versioning of the root names its bucket without a reference
#   to it (a plain string, a variable, each.value), it may configure any
#   bucket: buckets are then not reported for lacking versioning, while that
#   resource is still judged on its own.
# custom:
#   id: PCS-AWS-024
#   name: s3-versioning
#   severity: low
#   precision: high
#   controls:
#     - "SOC2:A1.2"
#     - "AWS-FSBP:S3.14"
#   remediation: |
#     Enable versioning on the bucket, and expire noncurrent versions with a
#     lifecycle rule so that old versions do not accumulate without bound.
#
#     ```hcl
#     resource "aws_s3_bucket_versioning" "data" {
#       bucket = aws_s3_bucket.data.id
#
#       versioning_configuration {
#         status = "Enabled"
#       }
#     }
#     ```
#
#     ```yaml
#     DataBucket:
#       Type: AWS::S3::Bucket
#       Properties:
#         VersioningConfiguration:
#           Status: Enabled
#     ```
#   resource_types:
#     - aws_s3_bucket
#     - aws_s3_bucket_versioning
#     - AWS::S3::Bucket
package portcullis.aws.s3.s3_versioning

import data.portcullis.aws.s3.buckets
import data.portcullis.lib.resource

_split := "aws_s3_bucket_versioning"

deny contains finding if {
	some res in buckets.buckets
	count(_states(res)) == 0
	not buckets.suppressed({_split})
	finding := {
		"resource": res.address,
		"attribute": "",
		"message": sprintf("S3 bucket %s does not enable versioning, so overwritten or deleted objects cannot be recovered; %s", [res.address, _advice(res)]),
	}
}

deny contains finding if {
	some res in buckets.buckets
	some finding in buckets.reportable(res, _states(res), {_split})
}

# A versioning resource whose bucket cannot be joined is judged on its own.
deny contains finding if {
	some cfg in object.get(resource.by_type, _split, {})
	not buckets.joined(cfg)
	s := _split_state(cfg)
	s.state == "bad"
	finding := s.finding
}

_advice(res) := "set VersioningConfiguration Status to Enabled" if res.type == "AWS::S3::Bucket"

else := "add an aws_s3_bucket_versioning with status Enabled"

# _states(res): the states of every versioning setting of the bucket res.
_states(res) := _own_states(res) | {_split_state(input.resources[address]) | some address in buckets.configs(res, _split)}

_own_states(res) := {_legacy_state(res)} if {
	res.type == "aws_s3_bucket"
	_present(res, ["versioning"])
} else := {_status_state(res, ["VersioningConfiguration", "Status"])} if {
	res.type == "AWS::S3::Bucket"
	_present(res, ["VersioningConfiguration"])
} else := set()

_present(res, segments) if not resource.value(res, segments) in {null, [], {}}

_present(res, segments) if buckets.uncertain(res, segments)

_split_state(cfg) := buckets.unknown if {
	buckets.uncertain(cfg, ["versioning_configuration"])
} else := _status_state(cfg, ["versioning_configuration", 0, "status"])

# _status_state(r, p): the state of the status at p (Enabled, Suspended, or
# Disabled for a new bucket).
_status_state(r, p) := buckets.unknown if {
	buckets.uncertain(r, p)
} else := buckets.ok if {
	resource.value(r, p) == "Enabled"
} else := buckets.unknown if {
	# required by the schema; left to the provider
	resource.value(r, p) == null
} else := buckets.bad(r, p, sprintf(
	"%s sets the versioning status to \"%v\", so overwritten or deleted objects cannot be recovered; set it to Enabled",
	[buckets.label(r), resource.value(r, p)],
))

_legacy_state(res) := buckets.unknown if {
	buckets.uncertain(res, ["versioning"])
} else := buckets.ok if {
	resource.is_true(res, ["versioning", 0, "enabled"])
} else := buckets.bad(res, ["versioning", 0, "enabled"], sprintf(
	"S3 bucket %s sets versioning.enabled to false, so overwritten or deleted objects cannot be recovered; set it to true",
	[res.address],
)) if {
	resource.is_false(res, ["versioning", 0, "enabled"])
} else := buckets.bad(res, ["versioning", 0], sprintf(
	"S3 bucket %s has a versioning block without enabled = true (it defaults to false), so overwritten or deleted objects cannot be recovered; set enabled = true",
	[res.address],
)) if {
	resource.value(res, ["versioning", 0, "enabled"]) == null
} else := buckets.unknown

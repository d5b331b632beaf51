# METADATA
# title: S3 bucket without Object Lock
# description: |
#   S3 Object Lock stores objects write-once-read-many: during the retention
#   period no one, not even the account's administrators in compliance mode,
#   can delete or overwrite a locked version. Versioning alone lets anyone
#   with the right permissions delete every version; Object Lock is what
#   keeps backups, audit trails and records intact through a compromised
#   account, ransomware or a mistaken cleanup, and what record-retention
#   obligations usually require. SOC 2 A1.2 expects backups and recovery
#   infrastructure to be protected, and AWS Foundational Security Best
#   Practices S3.15 asks for Object Lock. Not every bucket needs it (locked
#   data cannot be removed before its retention ends, and is billed until
#   then), so this rule is opt-in: enable it by name where your requirements
#   call for immutable storage.
#
#   The rule reports a bucket (aws_s3_bucket, AWS::S3::Bucket) that does not
#   enable Object Lock: no object_lock_enabled = true, no legacy
#   object_lock_configuration block, no aws_s3_bucket_object_lock_configuration
#   joined to it through its bucket reference, no CloudFormation
#   ObjectLockEnabled true or ObjectLockConfiguration (reported at the bucket,
#   or at object_lock_enabled / ObjectLockEnabled when it is false). A value
#   unknown statically is not reported. When an
#   aws_s3_bucket_object_lock_configuration of the root names its bucket
#   without a reference to it (a plain string, a variable, each.value), it may
#   configure any bucket: no bucket of the root is then reported.
# custom:
#   id: PCS-AWS-025
#   name: s3-object-lock
#   severity: low
#   precision: high
#   enabled: false
#   controls:
#     - "SOC2:A1.2"
#     - "AWS-FSBP:S3.15"
#   remediation: |
#     Enable Object Lock on the bucket (versioning is required) and set a
#     default retention that matches how long the data must stay immutable.
#     Use GOVERNANCE mode to keep the ability to lift the lock with a special
#     permission, COMPLIANCE mode when no one may.
#
#     ```hcl
#     resource "aws_s3_bucket" "records" {
#       bucket              = "example-records"
#       object_lock_enabled = true
#     }
#
#     resource "aws_s3_bucket_object_lock_configuration" "records" {
#       bucket = aws_s3_bucket.records.id
#
#       rule {
#         default_retention {
#           mode = "GOVERNANCE"
#           days = 365
#         }
#       }
#     }
#     ```
#
#     ```yaml
#     RecordsBucket:
#       Type: AWS::S3::Bucket
#       Properties:
#         ObjectLockEnabled: true
#         ObjectLockConfiguration:
#           ObjectLockEnabled: Enabled
#           Rule:
#             DefaultRetention:
#               Mode: GOVERNANCE
#               Days: 365
#         VersioningConfiguration:
#           Status: Enabled
#     ```
#   resource_types:
#     - aws_s3_bucket
#     - aws_s3_bucket_object_lock_configuration
#     - AWS::S3::Bucket
package portcullis.aws.s3.s3_object_lock

import data.portcullis.aws.s3.buckets
import data.portcullis.lib.resource

_split := "aws_s3_bucket_object_lock_configuration"

# _flag and _block: the attribute that enables Object Lock and the block that
# configures it, per bucket type.
_flag := {"aws_s3_bucket": "object_lock_enabled", "AWS::S3::Bucket": "ObjectLockEnabled"}

_block := {"aws_s3_bucket": "object_lock_configuration", "AWS::S3::Bucket": "ObjectLockConfiguration"}

deny contains finding if {
	some res in buckets.buckets
	not _locked(res)
	not buckets.suppressed({_split})
	not resource.is_false(res, [_flag[res.type]])
	finding := {
		"resource": res.address,
		"attribute": "",
		"message": sprintf("S3 bucket %s does not enable Object Lock, so anyone with delete permissions can destroy its objects; %s", [res.address, _advice(res)]),
	}
}

deny contains finding if {
	some res in buckets.buckets
	not _locked(res)
	not buckets.suppressed({_split})
	attribute := _flag[res.type]
	resource.is_false(res, [attribute])
	finding := {
		"resource": res.address,
		"attribute": attribute,
		"message": sprintf("S3 bucket %s sets %s to false, so anyone with delete permissions can destroy its objects; %s", [res.address, attribute, _advice(res)]),
	}
}

_advice(res) := "set ObjectLockEnabled to true with an ObjectLockConfiguration default retention" if {
	res.type == "AWS::S3::Bucket"
} else := "set object_lock_enabled = true and add an aws_s3_bucket_object_lock_configuration with a default retention"

# _locked(res): Object Lock is enabled, or may be.
_locked(res) if resource.is_true(res, [_flag[res.type]])

_locked(res) if buckets.uncertain(res, [_flag[res.type]])

_locked(res) if not resource.value(res, [_block[res.type]]) in {null, [], {}}

_locked(res) if buckets.uncertain(res, [_block[res.type]])

_locked(res) if count(buckets.configs(res, _split)) > 0

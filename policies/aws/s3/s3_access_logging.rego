# METADATA
# title: S3 bucket without server access logging
# description: |
#   Server access logs record every request made to a bucket: who (requester
#   and source address), what (operation and key), when, and with what result.
#   Without them, a leak of the bucket's data or an unexpected deletion cannot
#   be investigated: nobody can say which objects were read or removed, by
#   whom, from where. SOC 2 CC7.2 expects system components to be monitored
#   for anomalies that indicate malicious acts or errors, and AWS Foundational
#   Security Best Practices S3.9 asks for server access logging on every
#   bucket. (CloudTrail data events for S3 record object-level API calls too;
#   this rule cannot see them: if they cover the bucket, ignore the finding
#   inline with that reason.)
#
#   The rule reports a bucket (aws_s3_bucket, AWS::S3::Bucket) with no
#   aws_s3_bucket_logging joined to it through its bucket reference, no legacy
#   logging block and no CloudFormation LoggingConfiguration. A logging
#   configuration whose values are unknown statically counts as present. A
#   bucket that receives the server access logs of another bucket is not
#   reported (logging a log bucket creates a stream of logs about logs): one
#   that a target_bucket (aws_s3_bucket_logging, legacy logging block) or
#   DestinationBucketName (CloudFormation) references, one with the
#   log-delivery-write canned ACL (acl, aws_s3_bucket_acl, AccessControl
#   LogDeliveryWrite), and one whose bucket policy allows the
#   logging.s3.amazonaws.com service. A log bucket named by a literal string
#   only, without any of those marks, is reported. When an
#   aws_s3_bucket_logging of the root names its bucket without a reference to
#   it (a plain string, a variable, each.value), it may configure any bucket:
#   no bucket of the root is then reported.
# custom:
#   id: PCS-AWS-022
#   name: s3-access-logging
#   severity: low
#   precision: medium
#   controls:
#     - "SOC2:CC7.2"
#     - "AWS-FSBP:S3.9"
#   remediation: |
#     Send the bucket's server access logs to a dedicated log bucket (in the
#     same account and region) that allows the S3 logging service to write to
#     it, and keep the logs as long as your retention policy requires.
#
#     ```hcl
#     resource "aws_s3_bucket_logging" "data" {
#       bucket        = aws_s3_bucket.data.id
#       target_bucket = aws_s3_bucket.access_logs.id
#       target_prefix = "data/"
#     }
#     ```
#
#     ```yaml
#     DataBucket:
#       Type: AWS::S3::Bucket
#       Properties:
#         LoggingConfiguration:
#           DestinationBucketName: !Ref AccessLogsBucket
#           LogFilePrefix: data/
#     ```
#   resource_types:
#     - aws_s3_bucket
#     - aws_s3_bucket_logging
#     - aws_s3_bucket_acl
#     - aws_s3_bucket_policy
#     - aws_iam_policy_document
#     - AWS::S3::Bucket
#     - AWS::S3::BucketPolicy
package portcullis.aws.s3.s3_access_logging

import data.portcullis.aws.s3.buckets
import data.portcullis.lib.resource

_split := "aws_s3_bucket_logging"

deny contains finding if {
	some res in buckets.buckets
	not _logged(res)
	not buckets.log_target(res)
	not buckets.suppressed({_split})
	finding := {
		"resource": res.address,
		"attribute": "",
		"message": sprintf("S3 bucket %s has no server access logging, so requests to its data leave no access record; %s", [res.address, _advice(res)]),
	}
}

_advice(res) := "set LoggingConfiguration with a DestinationBucketName" if res.type == "AWS::S3::Bucket"

else := "add an aws_s3_bucket_logging that sends its access logs to a log bucket"

# _logged(res): the bucket has a logging configuration (or one that may be).
_logged(res) if count(buckets.configs(res, _split)) > 0

_logged(res) if {
	res.type == "aws_s3_bucket"
	_present(res, "logging")
}

_logged(res) if {
	res.type == "AWS::S3::Bucket"
	_present(res, "LoggingConfiguration")
}

_present(res, attr) if not resource.value(res, [attr]) in {null, []}

_present(res, attr) if buckets.uncertain(res, [attr])

# METADATA
# title: CloudTrail log file validation disabled
# description: |
#   Audit logs are evidence only if nobody can change them unnoticed. With log
#   file validation, CloudTrail writes a signed digest file every hour holding
#   the hash of each log file it delivered, so that a log file modified or
#   deleted after delivery (by an intruder covering their tracks, or by anyone
#   with write access to the bucket) can be detected. Without it, an auditor
#   cannot be shown that the logs are complete and unaltered (SOC 2 CC7.2
#   monitoring; CIS AWS Foundations 3.2; AWS Foundational Security Best
#   Practices CloudTrail.4).
#
#   The rule reports an aws_cloudtrail without enable_log_file_validation (the
#   default is false; at the resource) or with it set to false (at the value),
#   and an AWS::CloudTrail::Trail without EnableLogFileValidation or with it
#   false. A value that cannot be known statically is not reported.
# custom:
#   id: PCS-AWS-036
#   name: cloudtrail-log-validation
#   severity: medium
#   precision: very-high
#   controls:
#     - "SOC2:CC7.2"
#     - "CIS-AWS-3.0:3.2"
#     - "AWS-FSBP:CloudTrail.4"
#   remediation: |
#     Enable log file validation on the trail, and check the digests with
#     `aws cloudtrail validate-logs` when the logs are used as evidence.
#
#     ```hcl
#     resource "aws_cloudtrail" "main" {
#       name                       = "main"
#       s3_bucket_name             = "example-org-cloudtrail-logs"
#       is_multi_region_trail      = true
#       enable_log_file_validation = true
#       kms_key_id                 = aws_kms_key.cloudtrail.arn
#     }
#     ```
#
#     ```yaml
#     Trail:
#       Type: AWS::CloudTrail::Trail
#       Properties:
#         IsLogging: true
#         S3BucketName: example-org-cloudtrail-logs
#         IsMultiRegionTrail: true
#         EnableLogFileValidation: true
#         KMSKeyId: !GetAtt TrailKey.Arn
#     ```
#   resource_types:
#     - aws_cloudtrail
#     - AWS::CloudTrail::Trail
package portcullis.aws.cloudtrail.log_validation

import data.portcullis.lib.resource

# _forms: trail type -> the attribute enabling log file validation.
_forms := {
	"aws_cloudtrail": "enable_log_file_validation",
	"AWS::CloudTrail::Trail": "EnableLogFileValidation",
}

_consequence := "so a log file changed or deleted after delivery cannot be detected"

deny contains finding if {
	some t, attr in _forms
	some address, res in resource.of_types({t})
	resource.missing(res, attr)
	not attr in object.keys(object.get(res, "values", {}))
	not resource.properties_unknown(res)
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("CloudTrail trail %s has no %s (default false), %s; set it to true", [address, attr, _consequence]),
	}
}

deny contains finding if {
	some t, attr in _forms
	some address, res in resource.of_types({t})
	resource.is_false(res, [attr])
	finding := {
		"resource": address,
		"attribute": attr,
		"message": sprintf("CloudTrail trail %s sets %s to false, %s; set it to true", [address, attr, _consequence]),
	}
}

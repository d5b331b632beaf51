# METADATA
# title: CloudTrail logs not encrypted with a KMS key
# description: |
#   CloudTrail logs name every principal, resource and call of the account; they
#   are what an intruder wants to read first and what an investigation relies
#   on. Without a KMS key, the log files are encrypted with keys that Amazon S3
#   manages (SSE-S3), so anyone allowed to read the bucket can read them. With
#   SSE-KMS, reading a log also needs kms:Decrypt on a customer-managed key
#   whose policy names the few roles that may, and every decryption is itself
#   logged (SOC 2 CC6.7 protection of data; CIS AWS Foundations 3.5; AWS
#   Foundational Security Best Practices CloudTrail.2).
#
#   The rule reports an aws_cloudtrail without kms_key_id (at the resource) or
#   with an empty one (at the value), and an AWS::CloudTrail::Trail without
#   KMSKeyId or with an empty one. A key that cannot be known statically, or
#   that is a reference, counts as set; whether the key is customer-managed is
#   not checked.
# custom:
#   id: PCS-AWS-037
#   name: cloudtrail-kms
#   severity: medium
#   precision: very-high
#   controls:
#     - "SOC2:CC6.7"
#     - "CIS-AWS-3.0:3.5"
#     - "AWS-FSBP:CloudTrail.2"
#   remediation: |
#     Create a customer-managed KMS key with rotation enabled whose key policy
#     lets CloudTrail encrypt with it (cloudtrail.amazonaws.com, conditioned on
#     the trail's ARN) and lets only the log readers decrypt, and name it on the
#     trail.
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
package portcullis.aws.cloudtrail.kms

import data.portcullis.lib.resource

# _forms: trail type -> the attribute naming its KMS key.
_forms := {
	"aws_cloudtrail": "kms_key_id",
	"AWS::CloudTrail::Trail": "KMSKeyId",
}

deny contains finding if {
	some t, attr in _forms
	some address, res in resource.of_types({t})
	resource.missing(res, attr)
	not attr in object.keys(object.get(res, "values", {}))
	not resource.properties_unknown(res)
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("CloudTrail trail %s has no %s, so its log files are encrypted only with keys managed by Amazon S3; set %s to a customer-managed KMS key", [address, attr, attr]),
	}
}

deny contains finding if {
	some t, attr in _forms
	some address, res in resource.of_types({t})
	v := resource.value(res, [attr])
	is_string(v)
	trim_space(v) == ""
	not resource.unknown(res, [attr])
	finding := {
		"resource": address,
		"attribute": attr,
		"message": sprintf("CloudTrail trail %s sets %s to an empty value, so its log files are encrypted only with keys managed by Amazon S3; set it to a customer-managed KMS key", [address, attr]),
	}
}

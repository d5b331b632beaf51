# METADATA
# title: CloudTrail trail records one region only
# description: |
#   A single-region trail records the API activity of the region it was created
#   in and nothing else. An attacker, or a mistake, in any other region (new
#   instances for crypto-mining, a key created in an unused region, IAM and
#   other global calls when the trail's region is not the one they are logged
#   in) leaves no trace in it. A multi-region trail records every region,
#   including regions enabled later, into one place, which is what an auditor
#   and an incident responder expect to find (SOC 2 CC7.2 monitoring of system
#   components; CIS AWS Foundations 3.1; AWS Foundational Security Best
#   Practices CloudTrail.1).
#
#   The rule reports an aws_cloudtrail without is_multi_region_trail (the
#   default is false; at the resource) or with it set to false (at the value),
#   and an AWS::CloudTrail::Trail without IsMultiRegionTrail or with it false.
#   A value that cannot be known statically is not reported. It checks each
#   trail on its own: a single-region trail is reported even when another,
#   multi-region trail of the same root covers the account. Whether the trail
#   records read and write management events (also part of CloudTrail.1) is not
#   checked.
# custom:
#   id: PCS-AWS-035
#   name: cloudtrail-multi-region
#   severity: medium
#   precision: very-high
#   controls:
#     - "SOC2:CC7.2"
#     - "CIS-AWS-3.0:3.1"
#     - "AWS-FSBP:CloudTrail.1"
#   remediation: |
#     Make the trail multi-region (and, in an AWS Organization, an organization
#     trail in the management or a delegated administrator account), with
#     global service events and log file validation, encrypted with a KMS key.
#
#     ```hcl
#     resource "aws_cloudtrail" "main" {
#       name                          = "main"
#       s3_bucket_name                = "example-org-cloudtrail-logs"
#       is_multi_region_trail         = true
#       include_global_service_events = true
#       enable_log_file_validation    = true
#       kms_key_id                    = aws_kms_key.cloudtrail.arn
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
#         IncludeGlobalServiceEvents: true
#         EnableLogFileValidation: true
#         KMSKeyId: !GetAtt TrailKey.Arn
#     ```
#   resource_types:
#     - aws_cloudtrail
#     - AWS::CloudTrail::Trail
package portcullis.aws.cloudtrail.multi_region

import data.portcullis.lib.resource

# _forms: trail type -> the attribute saying whether it is multi-region.
_forms := {
	"aws_cloudtrail": "is_multi_region_trail",
	"AWS::CloudTrail::Trail": "IsMultiRegionTrail",
}

_consequence := "so it records the API activity of one region only"

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

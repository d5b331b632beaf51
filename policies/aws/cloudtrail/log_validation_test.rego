package portcullis.aws.cloudtrail.log_validation_test

import data.portcullis.aws.cloudtrail.log_validation
import data.portcullis.lib.mock_test as mock

_trail(values) := mock.resource("aws_cloudtrail", "main", object.union({"name": "main", "s3_bucket_name": "org-trail-logs"}, values))

_what := "so a log file changed or deleted after delivery cannot be detected; set it to true"

test_missing_setting_is_reported_at_the_resource if {
	log_validation.deny == {{
		"resource": "aws_cloudtrail.main",
		"attribute": "",
		"message": sprintf("CloudTrail trail aws_cloudtrail.main has no enable_log_file_validation (default false), %s", [_what]),
	}} with input as mock.doc([_trail({"is_multi_region_trail": true})])
}

test_false_is_reported_at_the_value if {
	log_validation.deny == {{
		"resource": "aws_cloudtrail.main",
		"attribute": "enable_log_file_validation",
		"message": sprintf("CloudTrail trail aws_cloudtrail.main sets enable_log_file_validation to false, %s", [_what]),
	}} with input as mock.doc([_trail({"enable_log_file_validation": false})])
}

test_validation_enabled_passes if {
	count(log_validation.deny) == 0 with input as mock.doc([_trail({"enable_log_file_validation": true})])
	count(log_validation.deny) == 0 with input as mock.doc([_trail({"enable_log_file_validation": "true"})])
}

test_unknown_is_not_reported if {
	unknown := object.union(_trail({}), {"unknown": {"enable_log_file_validation": true}})
	count(log_validation.deny) == 0 with input as mock.doc([unknown])
}

test_cloudformation_forms if {
	missing := mock.cfn("Missing", "AWS::CloudTrail::Trail", {"IsLogging": true, "S3BucketName": "logs"})
	off := mock.cfn("Off", "AWS::CloudTrail::Trail", {"IsLogging": true, "S3BucketName": "logs", "EnableLogFileValidation": false})
	on := mock.cfn("On", "AWS::CloudTrail::Trail", {"IsLogging": true, "S3BucketName": "logs", "EnableLogFileValidation": "true"})
	unknown := object.union(mock.cfn("Unknown", "AWS::CloudTrail::Trail", {"IsLogging": true}), {"unknown": {"EnableLogFileValidation": true}})
	opaque := object.union(mock.cfn("Opaque", "AWS::CloudTrail::Trail", {}), {"meta": {"properties_unknown": true}})
	log_validation.deny == {
		{
			"resource": "Missing",
			"attribute": "",
			"message": sprintf("CloudTrail trail Missing has no EnableLogFileValidation (default false), %s", [_what]),
		},
		{
			"resource": "Off",
			"attribute": "EnableLogFileValidation",
			"message": sprintf("CloudTrail trail Off sets EnableLogFileValidation to false, %s", [_what]),
		},
	} with input as mock.doc([missing, off, on, unknown, opaque])
}

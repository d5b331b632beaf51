package portcullis.aws.cloudtrail.multi_region_test

import data.portcullis.aws.cloudtrail.multi_region
import data.portcullis.lib.mock_test as mock

_trail(values) := mock.resource("aws_cloudtrail", "main", object.union({"name": "main", "s3_bucket_name": "org-trail-logs"}, values))

_what := "so it records the API activity of one region only; set it to true"

test_missing_setting_is_reported_at_the_resource if {
	multi_region.deny == {{
		"resource": "aws_cloudtrail.main",
		"attribute": "",
		"message": sprintf("CloudTrail trail aws_cloudtrail.main has no is_multi_region_trail (default false), %s", [_what]),
	}} with input as mock.doc([_trail({"enable_log_file_validation": true})])
}

test_false_is_reported_at_the_value if {
	expected := {{
		"resource": "aws_cloudtrail.main",
		"attribute": "is_multi_region_trail",
		"message": sprintf("CloudTrail trail aws_cloudtrail.main sets is_multi_region_trail to false, %s", [_what]),
	}}
	multi_region.deny == expected with input as mock.doc([_trail({"is_multi_region_trail": false})])
	multi_region.deny == expected with input as mock.doc([_trail({"is_multi_region_trail": "false"})])
}

test_multi_region_trail_passes if {
	count(multi_region.deny) == 0 with input as mock.doc([_trail({"is_multi_region_trail": true})])
}

test_unknown_is_not_reported if {
	unknown := object.union(_trail({}), {"unknown": {"is_multi_region_trail": true}})
	count(multi_region.deny) == 0 with input as mock.doc([unknown])
}

test_data_source_is_not_reported if {
	count(multi_region.deny) == 0 with input as mock.doc([mock.data_source("aws_cloudtrail", "main", {})])
}

test_cloudformation_forms if {
	missing := mock.cfn("Missing", "AWS::CloudTrail::Trail", {"IsLogging": true, "S3BucketName": "logs"})
	single := mock.cfn("Single", "AWS::CloudTrail::Trail", {"IsLogging": true, "S3BucketName": "logs", "IsMultiRegionTrail": "false"})
	multi := mock.cfn("Multi", "AWS::CloudTrail::Trail", {"IsLogging": true, "S3BucketName": "logs", "IsMultiRegionTrail": true})
	unknown := object.union(mock.cfn("Unknown", "AWS::CloudTrail::Trail", {"IsLogging": true}), {"unknown": {"IsMultiRegionTrail": true}})
	opaque := object.union(mock.cfn("Opaque", "AWS::CloudTrail::Trail", {}), {"meta": {"properties_unknown": true}})
	multi_region.deny == {
		{
			"resource": "Missing",
			"attribute": "",
			"message": sprintf("CloudTrail trail Missing has no IsMultiRegionTrail (default false), %s", [_what]),
		},
		{
			"resource": "Single",
			"attribute": "IsMultiRegionTrail",
			"message": sprintf("CloudTrail trail Single sets IsMultiRegionTrail to false, %s", [_what]),
		},
	} with input as mock.doc([missing, single, multi, unknown, opaque])
}

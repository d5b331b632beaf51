package portcullis.aws.s3.s3_object_lock_test

import data.portcullis.aws.s3.s3_mock_test as s3
import data.portcullis.aws.s3.s3_object_lock as object_lock
import data.portcullis.lib.mock_test as mock

_data := s3.bucket("data", {"bucket": "data"})

_destroy := "so anyone with delete permissions can destroy its objects"

_add := "set object_lock_enabled = true and add an aws_s3_bucket_object_lock_configuration with a default retention"

_cfn_add := "set ObjectLockEnabled to true with an ObjectLockConfiguration default retention"

# ---------------------------------------------------------------------------
# Firing

test_bucket_without_object_lock_is_reported if {
	object_lock.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "",
		"message": sprintf("S3 bucket aws_s3_bucket.data does not enable Object Lock, %s; %s", [_destroy, _add]),
	}} with input as s3.doc([_data])
}

test_object_lock_disabled_is_reported_at_the_flag if {
	object_lock.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "object_lock_enabled",
		"message": sprintf("S3 bucket aws_s3_bucket.data sets object_lock_enabled to false, %s; %s", [_destroy, _add]),
	}} with input as s3.doc([s3.bucket("data", {"object_lock_enabled": false})])
}

test_cloudformation_forms if {
	object_lock.deny == {
		{
			"resource": "Plain",
			"attribute": "",
			"message": sprintf("S3 bucket Plain does not enable Object Lock, %s; %s", [_destroy, _cfn_add]),
		},
		{
			"resource": "Off",
			"attribute": "ObjectLockEnabled",
			"message": sprintf("S3 bucket Off sets ObjectLockEnabled to false, %s; %s", [_destroy, _cfn_add]),
		},
	} with input as s3.doc([
		mock.cfn("Plain", "AWS::S3::Bucket", {}),
		mock.cfn("Off", "AWS::S3::Bucket", {"ObjectLockEnabled": "false"}),
	])
}

# ---------------------------------------------------------------------------
# Not firing

test_object_lock_enabled_passes if {
	count(object_lock.deny) == 0 with input as s3.doc([s3.bucket("data", {"object_lock_enabled": true})])
	count(object_lock.deny) == 0 with input as s3.doc([mock.cfn("Data", "AWS::S3::Bucket", {"ObjectLockEnabled": true})])
	count(object_lock.deny) == 0 with input as s3.doc([mock.cfn("Data", "AWS::S3::Bucket", {"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled"}})])
}

test_legacy_object_lock_configuration_passes if {
	count(object_lock.deny) == 0 with input as s3.doc([s3.bucket("data", {"object_lock_configuration": [{"object_lock_enabled": "Enabled"}]})])
}

test_split_object_lock_configuration_passes if {
	cfg := s3.config("aws_s3_bucket_object_lock_configuration", "data", "aws_s3_bucket.data", {"rule": [{"default_retention": [{"mode": "GOVERNANCE", "days": 30}]}]})
	count(object_lock.deny) == 0 with input as s3.doc([_data, cfg])
}

# ---------------------------------------------------------------------------
# Unknown values are not reported

test_unknown_flag_is_not_reported if {
	count(object_lock.deny) == 0 with input as s3.doc([s3.unknown(_data, {"object_lock_enabled": true})])
	count(object_lock.deny) == 0 with input as s3.doc([s3.unknown(mock.cfn("Data", "AWS::S3::Bucket", {}), {"ObjectLockEnabled": true})])
}

test_unjoinable_configuration_suppresses_every_bucket if {
	each := s3.unknown(mock.resource("aws_s3_bucket_object_lock_configuration", "each", {}), {"bucket": true})
	count(object_lock.deny) == 0 with input as s3.doc([_data, s3.bucket("off", {"object_lock_enabled": false}), each])
}

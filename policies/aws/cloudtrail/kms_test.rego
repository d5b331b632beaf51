package portcullis.aws.cloudtrail.kms_test

import data.portcullis.aws.cloudtrail.kms
import data.portcullis.lib.mock_test as mock

_trail(values) := mock.resource("aws_cloudtrail", "main", object.union({"name": "main", "s3_bucket_name": "org-trail-logs"}, values))

test_missing_key_is_reported_at_the_resource if {
	kms.deny == {{
		"resource": "aws_cloudtrail.main",
		"attribute": "",
		"message": "CloudTrail trail aws_cloudtrail.main has no kms_key_id, so its log files are encrypted only with keys managed by Amazon S3; set kms_key_id to a customer-managed KMS key",
	}} with input as mock.doc([_trail({})])
}

test_empty_key_is_reported_at_the_value if {
	kms.deny == {{
		"resource": "aws_cloudtrail.main",
		"attribute": "kms_key_id",
		"message": "CloudTrail trail aws_cloudtrail.main sets kms_key_id to an empty value, so its log files are encrypted only with keys managed by Amazon S3; set it to a customer-managed KMS key",
	}} with input as mock.doc([_trail({"kms_key_id": ""})])
}

test_key_passes if {
	referenced := object.union(_trail({}), {
		"unknown": {"kms_key_id": true},
		"references": [{"attribute": "kms_key_id", "target": "aws_kms_key.trail", "target_attribute": "arn"}],
	})
	count(kms.deny) == 0 with input as mock.doc([referenced])
	count(kms.deny) == 0 with input as mock.doc([_trail({"kms_key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"})])
}

test_unknown_key_is_not_reported if {
	unknown := object.union(_trail({}), {"unknown": {"kms_key_id": true}})
	count(kms.deny) == 0 with input as mock.doc([unknown])
}

test_cloudformation_forms if {
	missing := mock.cfn("Missing", "AWS::CloudTrail::Trail", {"IsLogging": true, "S3BucketName": "logs"})
	empty := mock.cfn("Empty", "AWS::CloudTrail::Trail", {"IsLogging": true, "S3BucketName": "logs", "KMSKeyId": " "})
	keyed := object.union(mock.cfn("Keyed", "AWS::CloudTrail::Trail", {"IsLogging": true, "S3BucketName": "logs"}), {
		"unknown": {"KMSKeyId": true},
		"references": [{"attribute": "KMSKeyId", "target": "TrailKey", "target_attribute": "Arn"}],
	})
	alias := mock.cfn("Alias", "AWS::CloudTrail::Trail", {"IsLogging": true, "S3BucketName": "logs", "KMSKeyId": "alias/cloudtrail"})
	opaque := object.union(mock.cfn("Opaque", "AWS::CloudTrail::Trail", {}), {"meta": {"properties_unknown": true}})
	kms.deny == {
		{
			"resource": "Missing",
			"attribute": "",
			"message": "CloudTrail trail Missing has no KMSKeyId, so its log files are encrypted only with keys managed by Amazon S3; set KMSKeyId to a customer-managed KMS key",
		},
		{
			"resource": "Empty",
			"attribute": "KMSKeyId",
			"message": "CloudTrail trail Empty sets KMSKeyId to an empty value, so its log files are encrypted only with keys managed by Amazon S3; set it to a customer-managed KMS key",
		},
	} with input as mock.doc([missing, empty, keyed, alias, opaque])
}

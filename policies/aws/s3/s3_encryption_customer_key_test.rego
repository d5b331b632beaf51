package portcullis.aws.s3.s3_encryption_customer_key_test

import data.portcullis.aws.s3.s3_encryption_customer_key as encryption
import data.portcullis.aws.s3.s3_mock_test as s3
import data.portcullis.lib.mock_test as mock

_data := s3.bucket("data", {"bucket": "data"})

_default(algorithm, key) := {"sse_algorithm": algorithm, "kms_master_key_id": key} if key != null

else := {"sse_algorithm": algorithm}

_split(name, algorithm, key) := s3.config(
	"aws_s3_bucket_server_side_encryption_configuration", name, "aws_s3_bucket.data",
	{"rule": [{"apply_server_side_encryption_by_default": [_default(algorithm, key)], "bucket_key_enabled": true}]},
)

_inline(algorithm, key) := s3.bucket("data", {"server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [_default(algorithm, key)]}]}]})

_cfn(by_default) := mock.cfn("DataBucket", "AWS::S3::Bucket", {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": by_default}]}})

_use := "configure aws:kms with a customer-managed KMS key"

# ---------------------------------------------------------------------------
# Firing

test_bucket_without_encryption_configuration_is_reported if {
	encryption.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "",
		"message": sprintf("S3 bucket aws_s3_bucket.data has no default encryption configuration, so S3 encrypts objects with S3-managed keys (SSE-S3); %s", [_use]),
	}} with input as s3.doc([_data])
}

test_split_aes256_is_reported_at_the_algorithm if {
	encryption.deny == {{
		"resource": "aws_s3_bucket_server_side_encryption_configuration.data",
		"attribute": "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm",
		"message": sprintf("aws_s3_bucket_server_side_encryption_configuration.data sets sse_algorithm to \"AES256\" (S3-managed keys, SSE-S3); %s", [_use]),
	}} with input as s3.doc([_data, _split("data", "AES256", null)])
}

test_split_kms_without_key_is_reported_at_the_block if {
	encryption.deny == {{
		"resource": "aws_s3_bucket_server_side_encryption_configuration.data",
		"attribute": "rule.0.apply_server_side_encryption_by_default.0",
		"message": "aws_s3_bucket_server_side_encryption_configuration.data uses aws:kms without kms_master_key_id, so S3 uses the AWS-managed key aws/s3; set kms_master_key_id to a customer-managed KMS key",
	}} with input as s3.doc([_data, _split("data", "aws:kms", null)])
}

test_dsse_without_key_is_reported if {
	encryption.deny == {{
		"resource": "aws_s3_bucket_server_side_encryption_configuration.data",
		"attribute": "rule.0.apply_server_side_encryption_by_default.0",
		"message": "aws_s3_bucket_server_side_encryption_configuration.data uses aws:kms:dsse without kms_master_key_id, so S3 uses the AWS-managed key aws/s3; set kms_master_key_id to a customer-managed KMS key",
	}} with input as s3.doc([_data, _split("data", "aws:kms:dsse", "")])
}

test_aws_managed_key_is_reported_at_the_key if {
	expected := {{
		"resource": "aws_s3_bucket_server_side_encryption_configuration.data",
		"attribute": "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id",
		"message": "aws_s3_bucket_server_side_encryption_configuration.data sets kms_master_key_id to the AWS-managed key alias/aws/s3; use a customer-managed KMS key",
	}}
	encryption.deny == expected with input as s3.doc([_data, _split("data", "aws:kms", "alias/aws/s3")])
	encryption.deny == expected with input as s3.doc([_data, _split("data", "aws:kms", "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3")])
}

test_legacy_inline_aes256 if {
	encryption.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "server_side_encryption_configuration.0.rule.0.apply_server_side_encryption_by_default.0.sse_algorithm",
		"message": sprintf("S3 bucket aws_s3_bucket.data sets sse_algorithm to \"AES256\" (S3-managed keys, SSE-S3); %s", [_use]),
	}} with input as s3.doc([_inline("AES256", null)])
}

test_rule_without_default_block if {
	cfg := s3.config("aws_s3_bucket_server_side_encryption_configuration", "data", "aws_s3_bucket.data", {"rule": [{"bucket_key_enabled": true}]})
	encryption.deny == {{
		"resource": "aws_s3_bucket_server_side_encryption_configuration.data",
		"attribute": "rule.0",
		"message": sprintf("aws_s3_bucket_server_side_encryption_configuration.data has an encryption rule without apply_server_side_encryption_by_default, so S3 encrypts objects with S3-managed keys (SSE-S3); %s", [_use]),
	}} with input as s3.doc([_data, cfg])
}

test_unjoined_configuration_is_judged_on_its_own if {
	cfg := mock.resource("aws_s3_bucket_server_side_encryption_configuration", "named", {
		"bucket": "data",
		"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}],
	})
	encryption.deny == {{
		"resource": "aws_s3_bucket_server_side_encryption_configuration.named",
		"attribute": "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm",
		"message": sprintf("aws_s3_bucket_server_side_encryption_configuration.named sets sse_algorithm to \"AES256\" (S3-managed keys, SSE-S3); %s", [_use]),
	}} with input as s3.doc([_data, cfg])
}

test_cloudformation_forms if {
	missing := mock.cfn("Plain", "AWS::S3::Bucket", {})
	aes := object.union(_cfn({"SSEAlgorithm": "AES256"}), {"address": "Aes"})
	no_key := object.union(_cfn({"SSEAlgorithm": "aws:kms"}), {"address": "NoKey"})
	managed := object.union(_cfn({"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/aws/s3"}), {"address": "Managed"})
	encryption.deny == {
		{
			"resource": "Plain",
			"attribute": "",
			"message": sprintf("S3 bucket Plain has no default encryption configuration, so S3 encrypts objects with S3-managed keys (SSE-S3); %s", [_use]),
		},
		{
			"resource": "Aes",
			"attribute": "BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm",
			"message": sprintf("S3 bucket Aes sets SSEAlgorithm to \"AES256\" (S3-managed keys, SSE-S3); %s", [_use]),
		},
		{
			"resource": "NoKey",
			"attribute": "BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault",
			"message": "S3 bucket NoKey uses aws:kms without KMSMasterKeyID, so S3 uses the AWS-managed key aws/s3; set KMSMasterKeyID to a customer-managed KMS key",
		},
		{
			"resource": "Managed",
			"attribute": "BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.KMSMasterKeyID",
			"message": "S3 bucket Managed sets KMSMasterKeyID to the AWS-managed key alias/aws/s3; use a customer-managed KMS key",
		},
	} with input as s3.doc([missing, aes, no_key, managed])
}

# ---------------------------------------------------------------------------
# Not firing

test_split_customer_key_passes if {
	by_reference := s3.unknown(
		object.union(_split("data", "aws:kms", null), {"references": [
			mock.ref("bucket", "aws_s3_bucket.data"),
			object.union(mock.ref("rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id", "aws_kms_key.data"), {"target_attribute": "arn"}),
		]}),
		{"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": true}]}]},
	)
	count(encryption.deny) == 0 with input as s3.doc([_data, by_reference])
	literal := _split("data", "aws:kms:dsse", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
	count(encryption.deny) == 0 with input as s3.doc([_data, literal])
}

test_legacy_inline_customer_key_passes if {
	count(encryption.deny) == 0 with input as s3.doc([_inline("aws:kms", "alias/data")])
}

test_cloudformation_customer_key_passes if {
	bucket := s3.unknown(_cfn({"SSEAlgorithm": "aws:kms"}), {"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"KMSMasterKeyID": true}}]}})
	count(encryption.deny) == 0 with input as s3.doc([bucket])
}

test_one_compliant_source_is_enough if {
	# the legacy block and the split resource both configure the bucket
	bucket := object.union(_inline("AES256", null), {"values": {"bucket": "data"}})
	count(encryption.deny) == 0 with input as s3.doc([bucket, _split("data", "aws:kms", "alias/data")])
}

# ---------------------------------------------------------------------------
# Unknown values are not reported

test_unknown_algorithm_is_not_reported if {
	split := s3.unknown(
		s3.config("aws_s3_bucket_server_side_encryption_configuration", "data", "aws_s3_bucket.data", {"rule": [{"apply_server_side_encryption_by_default": [{}]}]}),
		{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": true}]}]},
	)
	count(encryption.deny) == 0 with input as s3.doc([_data, split])
	cfn := s3.unknown(mock.cfn("DataBucket", "AWS::S3::Bucket", {}), {"BucketEncryption": true})
	count(encryption.deny) == 0 with input as s3.doc([cfn])
}

test_dynamic_block_with_unknown_for_each_is_not_reported if {
	bucket := object.union(_inline("AES256", null), {"meta": {"dynamic_unknown": ["server_side_encryption_configuration.0"]}})
	count(encryption.deny) == 0 with input as s3.doc([bucket])
}

test_unjoinable_configuration_suppresses_missing if {
	cfg := s3.unknown(
		mock.resource("aws_s3_bucket_server_side_encryption_configuration", "each", {
			"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": "alias/data"}]}],
		}),
		{"bucket": true},
	)
	count(encryption.deny) == 0 with input as s3.doc([_data, cfg])
}

test_configuration_of_a_bucket_data_source_does_not_suppress if {
	cfg := s3.config("aws_s3_bucket_server_side_encryption_configuration", "existing", "data.aws_s3_bucket.existing", {
		"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms", "kms_master_key_id": "alias/data"}]}],
	})
	encryption.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "",
		"message": sprintf("S3 bucket aws_s3_bucket.data has no default encryption configuration, so S3 encrypts objects with S3-managed keys (SSE-S3); %s", [_use]),
	}} with input as s3.doc([_data, mock.data_source("aws_s3_bucket", "existing", {}), cfg])
}

test_server_access_log_target_is_not_reported if {
	# S3 delivers server access logs only to SSE-S3 buckets.
	logs := s3.bucket("logs", {"server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}]}]})
	logging := s3.refer(s3.config("aws_s3_bucket_logging", "data", "aws_s3_bucket.data", {}), "target_bucket", "aws_s3_bucket.logs")
	data_encrypted := _inline("aws:kms", "alias/data")
	count(encryption.deny) == 0 with input as s3.doc([data_encrypted, logs, logging])
	acl_only := s3.bucket("acl", {"acl": "log-delivery-write"})
	count(encryption.deny) == 0 with input as s3.doc([acl_only])
}

test_load_balancer_log_target_is_not_reported if {
	# ALB and CLB access logs are delivered only to SSE-S3 buckets.
	logs := s3.bucket("logs", {})
	lb := object.union(mock.resource("aws_lb", "web", {"access_logs": [{"enabled": true}]}), {
		"unknown": {"access_logs": [{"bucket": true}]},
		"references": [mock.ref("access_logs.0.bucket", "aws_s3_bucket.logs")],
	})
	count(encryption.deny) == 0 with input as s3.doc([logs, lb])
	cfn_logs := mock.cfn("LogsBucket", "AWS::S3::Bucket", {})
	elb := s3.unknown(
		object.union(mock.cfn("Elb", "AWS::ElasticLoadBalancing::LoadBalancer", {"AccessLoggingPolicy": {"Enabled": true}}), {"references": [mock.ref("AccessLoggingPolicy.S3BucketName", "LogsBucket")]}),
		{"AccessLoggingPolicy": {"S3BucketName": true}},
	)
	count(encryption.deny) == 0 with input as s3.doc([cfn_logs, elb])
}

# A log bucket shared with the load balancers of other configurations is
# known by its policy, which lets Elastic Load Balancing deliver the logs.
test_load_balancer_log_bucket_known_by_its_policy_is_not_reported if {
	account := mock.data_source("aws_elb_service_account", "this", {})

	# the Elastic Load Balancing account, in a policy document
	logs := s3.bucket("logs", {})
	document := object.union(
		mock.data_source("aws_iam_policy_document", "logs", {"statement": [{
			"actions": ["s3:PutObject"],
			"principals": [{"type": "AWS", "identifiers": [null]}],
		}]}),
		{
			"unknown": {"statement": [{"principals": [{"identifiers": [true]}]}]},
			"references": [object.union(mock.ref("statement.0.principals.0.identifiers", "data.aws_elb_service_account.this"), {"target_attribute": "arn"})],
		},
	)
	policy := s3.refer(
		s3.config("aws_s3_bucket_policy", "logs", "aws_s3_bucket.logs", {}),
		"policy", "data.aws_iam_policy_document.logs",
	)
	count(encryption.deny) == 0 with input as s3.doc([logs, document, policy, account])

	# the Elastic Load Balancing account, in jsonencode (unknown as a whole)
	jsonencoded := s3.refer(
		s3.config("aws_s3_bucket_policy", "logs", "aws_s3_bucket.logs", {}),
		"policy", "data.aws_elb_service_account.this",
	)
	count(encryption.deny) == 0 with input as s3.doc([logs, jsonencoded, account])

	# the log delivery service of the Regions opened since August 2022
	service := s3.config("aws_s3_bucket_policy", "logs", "aws_s3_bucket.logs", {"policy": json.marshal({"Statement": [{
		"Effect": "Allow",
		"Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
		"Action": "s3:PutObject",
		"Resource": "arn:aws:s3:::logs/AWSLogs/*",
	}]})})
	count(encryption.deny) == 0 with input as s3.doc([logs, service])
}

# delivery.logs.amazonaws.com delivers Network Load Balancer and other
# vended logs, which SSE-KMS buckets accept.
test_vended_log_bucket_is_reported if {
	logs := s3.bucket("logs", {})
	policy := s3.config("aws_s3_bucket_policy", "logs", "aws_s3_bucket.logs", {"policy": json.marshal({"Statement": [{
		"Effect": "Allow",
		"Principal": {"Service": "delivery.logs.amazonaws.com"},
		"Action": "s3:PutObject",
		"Resource": "arn:aws:s3:::logs/AWSLogs/*",
	}]})})
	encryption.deny == {{
		"resource": "aws_s3_bucket.logs",
		"attribute": "",
		"message": "S3 bucket aws_s3_bucket.logs has no default encryption configuration, so S3 encrypts objects with S3-managed keys (SSE-S3); configure aws:kms with a customer-managed KMS key",
	}} with input as s3.doc([logs, policy])
}

# The AWS-managed key looked up by a data source is still the AWS-managed key.
test_aws_managed_key_looked_up_by_a_data_source_is_reported if {
	alias := mock.data_source("aws_kms_alias", "s3", {"name": "alias/aws/s3"})
	key := mock.data_source("aws_kms_key", "s3", {"key_id": "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3"})
	mine := mock.data_source("aws_kms_alias", "mine", {"name": "alias/data"})
	path := "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id"
	by_alias := object.union(_split("by_alias", "aws:kms", null), {
		"unknown": {"bucket": true, "rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": true}]}]},
		"references": [mock.ref("bucket", "aws_s3_bucket.data"), object.union(mock.ref(path, "data.aws_kms_alias.s3"), {"target_attribute": "target_key_arn"})],
	})
	by_key := object.union(by_alias, {"references": [mock.ref("bucket", "aws_s3_bucket.data"), object.union(mock.ref(path, "data.aws_kms_key.s3"), {"target_attribute": "arn"})]})
	by_mine := object.union(by_alias, {"references": [mock.ref("bucket", "aws_s3_bucket.data"), object.union(mock.ref(path, "data.aws_kms_alias.mine"), {"target_attribute": "target_key_arn"})]})
	encryption.deny == {{
		"resource": "aws_s3_bucket_server_side_encryption_configuration.by_alias",
		"attribute": path,
		"message": "aws_s3_bucket_server_side_encryption_configuration.by_alias sets kms_master_key_id to the AWS-managed key alias/aws/s3 (looked up by data.aws_kms_alias.s3); use a customer-managed KMS key",
	}} with input as s3.doc([_data, by_alias, alias])
	encryption.deny == {{
		"resource": "aws_s3_bucket_server_side_encryption_configuration.by_alias",
		"attribute": path,
		"message": "aws_s3_bucket_server_side_encryption_configuration.by_alias sets kms_master_key_id to the AWS-managed key alias/aws/s3 (looked up by data.aws_kms_key.s3); use a customer-managed KMS key",
	}} with input as s3.doc([_data, by_key, key])
	count(encryption.deny) == 0 with input as s3.doc([_data, by_mine, mine])
}

package portcullis.aws.s3.s3_access_logging_test

import data.portcullis.aws.s3.s3_access_logging as logging
import data.portcullis.aws.s3.s3_mock_test as s3
import data.portcullis.lib.mock_test as mock

_data := s3.bucket("data", {"bucket": "data"})

_logs := s3.bucket("logs", {"bucket": "logs"})

_add := "add an aws_s3_bucket_logging that sends its access logs to a log bucket"

_finding(address) := {
	"resource": address,
	"attribute": "",
	"message": sprintf("S3 bucket %s has no server access logging, so requests to its data leave no access record; %s", [address, _add]),
}

# aws_s3_bucket_logging for data, sending to logs.
_split := s3.refer(
	s3.config("aws_s3_bucket_logging", "data", "aws_s3_bucket.data", {"target_prefix": "data/"}),
	"target_bucket", "aws_s3_bucket.logs",
)

# ---------------------------------------------------------------------------
# Firing

test_bucket_without_logging_is_reported if {
	logging.deny == {_finding("aws_s3_bucket.data")} with input as s3.doc([_data])
}

test_log_bucket_named_by_a_string_is_reported if {
	split := s3.config("aws_s3_bucket_logging", "data", "aws_s3_bucket.data", {"target_bucket": "logs"})
	logging.deny == {_finding("aws_s3_bucket.logs")} with input as s3.doc([_data, _logs, split])
}

test_cloudformation_bucket_without_logging if {
	logging.deny == {{
		"resource": "Data",
		"attribute": "",
		"message": "S3 bucket Data has no server access logging, so requests to its data leave no access record; set LoggingConfiguration with a DestinationBucketName",
	}} with input as s3.doc([mock.cfn("Data", "AWS::S3::Bucket", {})])
}

test_log_bucket_of_a_data_source_bucket_is_not_exempt_from_its_edge if {
	# the target edge exempts logs; the bucket configured is a data source
	split := s3.refer(
		s3.config("aws_s3_bucket_logging", "existing", "data.aws_s3_bucket.existing", {}),
		"target_bucket", "aws_s3_bucket.logs",
	)
	logging.deny == {_finding("aws_s3_bucket.data")} with input as s3.doc([_data, _logs, mock.data_source("aws_s3_bucket", "existing", {}), split])
}

# ---------------------------------------------------------------------------
# Not firing

test_split_logging_passes_and_its_target_is_exempt if {
	count(logging.deny) == 0 with input as s3.doc([_data, _logs, _split])
}

test_legacy_logging_block_passes_and_its_target_is_exempt if {
	bucket := s3.unknown(
		object.union(s3.bucket("data", {"logging": [{"target_prefix": "data/"}]}), {"references": [mock.ref("logging.0.target_bucket", "aws_s3_bucket.logs")]}),
		{"logging": [{"target_bucket": true}]},
	)
	count(logging.deny) == 0 with input as s3.doc([bucket, _logs])
}

test_cloudformation_logging_passes_and_its_target_is_exempt if {
	bucket := s3.unknown(
		object.union(mock.cfn("Data", "AWS::S3::Bucket", {"LoggingConfiguration": {"LogFilePrefix": "data/"}}), {"references": [mock.ref("LoggingConfiguration.DestinationBucketName", "Logs")]}),
		{"LoggingConfiguration": {"DestinationBucketName": true}},
	)
	count(logging.deny) == 0 with input as s3.doc([bucket, mock.cfn("Logs", "AWS::S3::Bucket", {})])

	# LoggingConfiguration without a destination logs to the bucket itself
	count(logging.deny) == 0 with input as s3.doc([mock.cfn("Self", "AWS::S3::Bucket", {"LoggingConfiguration": {}})])
}

test_log_delivery_acl_marks_a_log_bucket if {
	count(logging.deny) == 0 with input as s3.doc([s3.bucket("logs", {"acl": "log-delivery-write"})])
	count(logging.deny) == 0 with input as s3.doc([mock.cfn("Logs", "AWS::S3::Bucket", {"AccessControl": "LogDeliveryWrite"})])
	acl := s3.config("aws_s3_bucket_acl", "logs", "aws_s3_bucket.logs", {"acl": "log-delivery-write"})
	count(logging.deny) == 0 with input as s3.doc([_logs, acl])
	grant := s3.config("aws_s3_bucket_acl", "logs", "aws_s3_bucket.logs", {"access_control_policy": [{"grant": [{
		"grantee": [{"type": "Group", "uri": "http://acs.amazonaws.com/groups/s3/LogDelivery"}],
		"permission": "WRITE",
	}]}]})
	count(logging.deny) == 0 with input as s3.doc([_logs, grant])
}

test_logging_service_in_the_bucket_policy_marks_a_log_bucket if {
	policy := s3.config("aws_s3_bucket_policy", "logs", "aws_s3_bucket.logs", {"policy": json.marshal({"Statement": [{
		"Effect": "Allow",
		"Principal": {"Service": "logging.s3.amazonaws.com"},
		"Action": "s3:PutObject",
		"Resource": "arn:aws:s3:::logs/*",
	}]})})
	count(logging.deny) == 0 with input as s3.doc([_logs, policy])
}

# ---------------------------------------------------------------------------
# Unknown values are not reported

test_unknown_logging_counts_as_present if {
	cfn := s3.unknown(mock.cfn("Data", "AWS::S3::Bucket", {}), {"LoggingConfiguration": true})
	count(logging.deny) == 0 with input as s3.doc([cfn])
	dynamic := object.union(s3.bucket("data", {"logging": [{"target_bucket": "logs"}]}), {"meta": {"dynamic_unknown": ["logging.0"]}})
	count(logging.deny) == 0 with input as s3.doc([dynamic])
}

test_unjoinable_logging_suppresses_every_bucket if {
	each := s3.unknown(mock.resource("aws_s3_bucket_logging", "each", {"target_bucket": "logs"}), {"bucket": true})
	count(logging.deny) == 0 with input as s3.doc([_data, each])
}

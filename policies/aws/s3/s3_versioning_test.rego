package portcullis.aws.s3.s3_versioning_test

import data.portcullis.aws.s3.s3_mock_test as s3
import data.portcullis.aws.s3.s3_versioning as versioning
import data.portcullis.lib.mock_test as mock

_data := s3.bucket("data", {"bucket": "data"})

_split(status) := s3.config("aws_s3_bucket_versioning", "data", "aws_s3_bucket.data", {"versioning_configuration": [{"status": status}]})

_lost := "so overwritten or deleted objects cannot be recovered"

# ---------------------------------------------------------------------------
# Firing

test_bucket_without_versioning_is_reported if {
	versioning.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "",
		"message": sprintf("S3 bucket aws_s3_bucket.data does not enable versioning, %s; add an aws_s3_bucket_versioning with status Enabled", [_lost]),
	}} with input as s3.doc([_data])
}

test_suspended_is_reported_at_the_status if {
	versioning.deny == {{
		"resource": "aws_s3_bucket_versioning.data",
		"attribute": "versioning_configuration.0.status",
		"message": sprintf("aws_s3_bucket_versioning.data sets the versioning status to \"Suspended\", %s; set it to Enabled", [_lost]),
	}} with input as s3.doc([_data, _split("Suspended")])
}

test_legacy_disabled_is_reported_at_enabled if {
	versioning.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "versioning.0.enabled",
		"message": sprintf("S3 bucket aws_s3_bucket.data sets versioning.enabled to false, %s; set it to true", [_lost]),
	}} with input as s3.doc([s3.bucket("data", {"versioning": [{"enabled": false, "mfa_delete": false}]})])
}

test_legacy_block_without_enabled_is_reported_at_the_block if {
	versioning.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "versioning.0",
		"message": sprintf("S3 bucket aws_s3_bucket.data has a versioning block without enabled = true (it defaults to false), %s; set enabled = true", [_lost]),
	}} with input as s3.doc([s3.bucket("data", {"versioning": [{"mfa_delete": false}]})])
}

test_unjoined_suspended_resource_is_judged_on_its_own if {
	named := mock.resource("aws_s3_bucket_versioning", "named", {"bucket": "data", "versioning_configuration": [{"status": "Suspended"}]})
	versioning.deny == {{
		"resource": "aws_s3_bucket_versioning.named",
		"attribute": "versioning_configuration.0.status",
		"message": sprintf("aws_s3_bucket_versioning.named sets the versioning status to \"Suspended\", %s; set it to Enabled", [_lost]),
	}} with input as s3.doc([_data, named])
}

test_cloudformation_forms if {
	missing := mock.cfn("Plain", "AWS::S3::Bucket", {})
	suspended := mock.cfn("Suspended", "AWS::S3::Bucket", {"VersioningConfiguration": {"Status": "Suspended"}})
	versioning.deny == {
		{
			"resource": "Plain",
			"attribute": "",
			"message": sprintf("S3 bucket Plain does not enable versioning, %s; set VersioningConfiguration Status to Enabled", [_lost]),
		},
		{
			"resource": "Suspended",
			"attribute": "VersioningConfiguration.Status",
			"message": sprintf("S3 bucket Suspended sets the versioning status to \"Suspended\", %s; set it to Enabled", [_lost]),
		},
	} with input as s3.doc([missing, suspended])
}

# ---------------------------------------------------------------------------
# Not firing

test_split_enabled_passes if {
	count(versioning.deny) == 0 with input as s3.doc([_data, _split("Enabled")])
}

test_legacy_enabled_passes if {
	count(versioning.deny) == 0 with input as s3.doc([s3.bucket("data", {"versioning": [{"enabled": true}]})])
	count(versioning.deny) == 0 with input as s3.doc([s3.bucket("data", {"versioning": [{"enabled": "true"}]})])
}

test_cloudformation_enabled_passes if {
	count(versioning.deny) == 0 with input as s3.doc([mock.cfn("Data", "AWS::S3::Bucket", {"VersioningConfiguration": {"Status": "Enabled"}})])
}

test_split_enabled_beside_a_disabled_legacy_block_passes if {
	bucket := s3.bucket("data", {"versioning": [{"enabled": false}]})
	count(versioning.deny) == 0 with input as s3.doc([bucket, _split("Enabled")])
}

test_split_resources_of_counted_buckets_are_joined_per_instance if {
	b0 := object.union(s3.bucket("c", {}), {"address": "aws_s3_bucket.c[0]"})
	b1 := object.union(s3.bucket("c", {}), {"address": "aws_s3_bucket.c[1]"})
	v0 := object.union(
		s3.config("aws_s3_bucket_versioning", "c", "aws_s3_bucket.c[0]", {"versioning_configuration": [{"status": "Enabled"}]}),
		{"address": "aws_s3_bucket_versioning.c[0]"},
	)
	versioning.deny == {{
		"resource": "aws_s3_bucket.c[1]",
		"attribute": "",
		"message": sprintf("S3 bucket aws_s3_bucket.c[1] does not enable versioning, %s; add an aws_s3_bucket_versioning with status Enabled", [_lost]),
	}} with input as s3.doc([b0, b1, v0])
}

# ---------------------------------------------------------------------------
# Unknown values are not reported

test_unknown_status_is_not_reported if {
	split := s3.unknown(
		s3.config("aws_s3_bucket_versioning", "data", "aws_s3_bucket.data", {"versioning_configuration": [{}]}),
		{"versioning_configuration": [{"status": true}]},
	)
	count(versioning.deny) == 0 with input as s3.doc([_data, split])
	legacy := s3.unknown(s3.bucket("data", {"versioning": [{}]}), {"versioning": [{"enabled": true}]})
	count(versioning.deny) == 0 with input as s3.doc([legacy])
	dynamic := object.union(s3.bucket("data", {"versioning": [{"enabled": false}]}), {"meta": {"dynamic_unknown": ["versioning.0"]}})
	count(versioning.deny) == 0 with input as s3.doc([dynamic])
	cfn := s3.unknown(mock.cfn("Data", "AWS::S3::Bucket", {}), {"VersioningConfiguration": true})
	count(versioning.deny) == 0 with input as s3.doc([cfn])
}

test_unjoinable_resource_suppresses_missing if {
	each := s3.unknown(mock.resource("aws_s3_bucket_versioning", "each", {"versioning_configuration": [{"status": "Enabled"}]}), {"bucket": true})
	count(versioning.deny) == 0 with input as s3.doc([_data, each])

	# the bucket's own disabled legacy block may be overridden too
	legacy := s3.bucket("data", {"versioning": [{"enabled": false}]})
	count(versioning.deny) == 0 with input as s3.doc([legacy, each])
}

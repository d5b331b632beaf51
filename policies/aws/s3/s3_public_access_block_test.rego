package portcullis.aws.s3.s3_public_access_block_test

import data.portcullis.aws.s3.s3_mock_test as s3
import data.portcullis.aws.s3.s3_public_access_block as pab
import data.portcullis.lib.mock_test as mock

_data := s3.bucket("data", {"bucket": "data"})

_all := {"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}

_block(values) := s3.config("aws_s3_bucket_public_access_block", "data", "aws_s3_bucket.data", values)

_expose := "so a public ACL or bucket policy could expose the bucket's data; set all four public access block settings to true"

_add := "add an aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets true"

# ---------------------------------------------------------------------------
# Firing

test_bucket_without_block_is_reported if {
	pab.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "",
		"message": sprintf("S3 bucket aws_s3_bucket.data has no public access block, so it relies on the account's settings and AWS's default for new buckets, and a public ACL or bucket policy could expose its data; %s", [_add]),
		"severity": "medium",
	}} with input as s3.doc([_data])
}

test_false_setting_is_reported_at_the_first_false_setting if {
	values := object.union(_all, {"block_public_policy": false, "restrict_public_buckets": "false"})
	pab.deny == {{
		"resource": "aws_s3_bucket_public_access_block.data",
		"attribute": "block_public_policy",
		"message": sprintf("aws_s3_bucket_public_access_block.data does not set block_public_policy and restrict_public_buckets to true, %s", [_expose]),
	}} with input as s3.doc([_data, _block(values)])
}

test_missing_settings_are_reported_at_the_block if {
	pab.deny == {{
		"resource": "aws_s3_bucket_public_access_block.data",
		"attribute": "",
		"message": sprintf("aws_s3_bucket_public_access_block.data does not set ignore_public_acls and restrict_public_buckets to true, %s", [_expose]),
	}} with input as s3.doc([_data, _block({"block_public_acls": true, "block_public_policy": true})])
}

test_unjoined_block_is_judged_on_its_own if {
	named := mock.resource("aws_s3_bucket_public_access_block", "named", object.union(_all, {"bucket": "data", "ignore_public_acls": false}))
	pab.deny == {{
		"resource": "aws_s3_bucket_public_access_block.named",
		"attribute": "ignore_public_acls",
		"message": sprintf("aws_s3_bucket_public_access_block.named does not set ignore_public_acls to true, %s", [_expose]),
	}} with input as s3.doc([_data, named])
}

test_incomplete_account_block_does_not_cover_buckets if {
	account := mock.resource("aws_s3_account_public_access_block", "account", object.union(_all, {"restrict_public_buckets": false}))
	pab.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "",
		"message": sprintf("S3 bucket aws_s3_bucket.data has no public access block, so it relies on the account's settings and AWS's default for new buckets, and a public ACL or bucket policy could expose its data; %s", [_add]),
		"severity": "medium",
	}} with input as s3.doc([_data, account])
}

test_cloudformation_forms if {
	missing := mock.cfn("Plain", "AWS::S3::Bucket", {})
	partial := mock.cfn("Partial", "AWS::S3::Bucket", {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": false}})
	only_missing := mock.cfn("Some", "AWS::S3::Bucket", {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true}})
	pab.deny == {
		{
			"resource": "Plain",
			"attribute": "",
			"message": "S3 bucket Plain has no public access block, so it relies on the account's settings and AWS's default for new buckets, and a public ACL or bucket policy could expose its data; set PublicAccessBlockConfiguration with BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets true",
			"severity": "medium",
		},
		{
			"resource": "Partial",
			"attribute": "PublicAccessBlockConfiguration.BlockPublicPolicy",
			"message": sprintf("S3 bucket Partial does not set BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets to true, %s", [_expose]),
		},
		{
			"resource": "Some",
			"attribute": "PublicAccessBlockConfiguration",
			"message": sprintf("S3 bucket Some does not set RestrictPublicBuckets to true, %s", [_expose]),
		},
	} with input as s3.doc([missing, partial, only_missing])
}

# ---------------------------------------------------------------------------
# Not firing

test_complete_block_passes if {
	count(pab.deny) == 0 with input as s3.doc([_data, _block(_all)])
	count(pab.deny) == 0 with input as s3.doc([_data, _block({"block_public_acls": "true", "block_public_policy": "True", "ignore_public_acls": true, "restrict_public_buckets": true})])
}

test_complete_account_block_covers_every_bucket if {
	account := mock.resource("aws_s3_account_public_access_block", "account", _all)
	count(pab.deny) == 0 with input as s3.doc([_data, account, _block(object.union(_all, {"block_public_acls": false}))])
}

test_cloudformation_complete_block_passes if {
	bucket := mock.cfn("Data", "AWS::S3::Bucket", {"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": "true", "RestrictPublicBuckets": true}})
	count(pab.deny) == 0 with input as s3.doc([bucket])
}

# ---------------------------------------------------------------------------
# Unknown values are not reported

test_unknown_settings_count_as_true if {
	block := s3.unknown(_block(object.remove(_all, ["block_public_policy"])), {"block_public_policy": true})
	count(pab.deny) == 0 with input as s3.doc([_data, block])
	account := s3.unknown(mock.resource("aws_s3_account_public_access_block", "account", {}), {
		"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true,
	})
	count(pab.deny) == 0 with input as s3.doc([_data, account])
	cfn := s3.unknown(mock.cfn("Data", "AWS::S3::Bucket", {}), {"PublicAccessBlockConfiguration": true})
	count(pab.deny) == 0 with input as s3.doc([cfn])
}

test_unknown_setting_beside_a_false_one_is_still_reported if {
	block := s3.unknown(_block({"block_public_acls": false, "ignore_public_acls": true, "restrict_public_buckets": true}), {"block_public_policy": true})
	pab.deny == {{
		"resource": "aws_s3_bucket_public_access_block.data",
		"attribute": "block_public_acls",
		"message": sprintf("aws_s3_bucket_public_access_block.data does not set block_public_acls to true, %s", [_expose]),
	}} with input as s3.doc([_data, block])
}

test_unjoinable_block_suppresses_missing if {
	each := s3.unknown(mock.resource("aws_s3_bucket_public_access_block", "each", _all), {"bucket": true})
	count(pab.deny) == 0 with input as s3.doc([_data, each])
}

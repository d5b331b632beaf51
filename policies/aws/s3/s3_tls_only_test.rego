package portcullis.aws.s3.s3_tls_only_test

import data.portcullis.aws.s3.s3_mock_test as s3
import data.portcullis.aws.s3.s3_tls_only
import data.portcullis.lib.mock_test as mock

_expected := "a Deny statement for s3:* and every principal with the condition Bool aws:SecureTransport = false"

_tls_deny := {
	"Sid": "DenyInsecureTransport",
	"Effect": "Deny",
	"Principal": "*",
	"Action": "s3:*",
	"Resource": ["arn:aws:s3:::data", "arn:aws:s3:::data/*"],
	"Condition": {"Bool": {"aws:SecureTransport": "false"}},
}

_allow_read := {
	"Effect": "Allow",
	"Principal": {"AWS": "arn:aws:iam::123456789012:root"},
	"Action": ["s3:GetObject"],
	"Resource": "arn:aws:s3:::data/*",
}

# _with_condition(c) is the TLS statement with its condition replaced by c
# (object.union would merge the two conditions).
_with_condition(c) := object.union(object.remove(_tls_deny, ["Condition"]), {"Condition": c})

_json(statements) := json.marshal({"Version": "2012-10-17", "Statement": statements})

_policy(name, bucket, policy) := s3.config("aws_s3_bucket_policy", name, bucket, {"policy": policy})

_data := s3.bucket("data", {"bucket": "data"})

# The HCL form of the TLS statement in a policy document data source.
_hcl_tls := {
	"effect": "Deny",
	"actions": ["s3:*"],
	"principals": [{"type": "*", "identifiers": ["*"]}],
	"condition": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}],
}

_document(name, statements) := object.union(
	mock.data_source("aws_iam_policy_document", name, {"statement": statements}),
	{"unknown": {"statement": [{"resources": [true]} | some _ in statements]}},
)

_document_policy(name, document) := object.union(
	s3.config("aws_s3_bucket_policy", name, "aws_s3_bucket.data", {}),
	{
		"unknown": {"bucket": true, "policy": true},
		"references": [mock.ref("bucket", "aws_s3_bucket.data"), object.union(mock.ref("policy", document), {"target_attribute": "json"})],
	},
)

# ---------------------------------------------------------------------------
# Firing

test_bucket_without_policy_is_reported if {
	s3_tls_only.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "",
		"message": sprintf("S3 bucket aws_s3_bucket.data has no bucket policy denying requests made without TLS; add %s", [_expected]),
	}} with input as s3.doc([_data])
}

test_policy_without_tls_statement_is_reported_at_the_policy if {
	s3_tls_only.deny == {{
		"resource": "aws_s3_bucket_policy.data",
		"attribute": "policy",
		"message": sprintf("Bucket policy aws_s3_bucket_policy.data does not deny requests made without TLS; add %s", [_expected]),
	}} with input as s3.doc([_data, _policy("data", "aws_s3_bucket.data", _json([_allow_read]))])
}

test_near_misses_are_reported if {
	misses := [
		object.union(_tls_deny, {"Effect": "Allow"}),
		object.union(_tls_deny, {"Action": "s3:GetObject"}),
		object.union(_tls_deny, {"Principal": {"AWS": "arn:aws:iam::123456789012:root"}}),
		_with_condition({"Bool": {"aws:SecureTransport": "true"}}),
		_with_condition({"StringEquals": {"aws:SecureTransport": "false"}}),
		_with_condition({"Bool": {"aws:MultiFactorAuthPresent": "false"}}),
		_with_condition({"NumericLessThan": {"s3:TlsVersion": 1.2}}),
		object.remove(_tls_deny, ["Condition"]),
		object.remove(_tls_deny, ["Principal"]),
	]
	every miss in misses {
		s3_tls_only.deny == {{
			"resource": "aws_s3_bucket_policy.data",
			"attribute": "policy",
			"message": sprintf("Bucket policy aws_s3_bucket_policy.data does not deny requests made without TLS; add %s", [_expected]),
		}} with input as s3.doc([_data, _policy("data", "aws_s3_bucket.data", _json([miss]))])
	}
}

test_policy_document_without_tls_statement_names_the_document if {
	allow := {"effect": "Allow", "actions": ["s3:GetObject"], "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::123456789012:root"]}]}
	s3_tls_only.deny == {{
		"resource": "aws_s3_bucket_policy.data",
		"attribute": "policy",
		"message": sprintf("Bucket policy aws_s3_bucket_policy.data (from data.aws_iam_policy_document.data) does not deny requests made without TLS; add %s", [_expected]),
	}} with input as s3.doc([
		_data,
		_document("data", [allow]),
		_document_policy("data", "data.aws_iam_policy_document.data"),
	])
}

test_document_statement_without_effect_is_an_allow if {
	statement := object.remove(_hcl_tls, ["effect"])
	s3_tls_only.deny == {{
		"resource": "aws_s3_bucket_policy.data",
		"attribute": "policy",
		"message": sprintf("Bucket policy aws_s3_bucket_policy.data (from data.aws_iam_policy_document.data) does not deny requests made without TLS; add %s", [_expected]),
	}} with input as s3.doc([
		_data,
		_document("data", [statement]),
		_document_policy("data", "data.aws_iam_policy_document.data"),
	])
}

test_legacy_inline_policy_without_tls_statement if {
	s3_tls_only.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "policy",
		"message": sprintf("Bucket policy of S3 bucket aws_s3_bucket.data does not deny requests made without TLS; add %s", [_expected]),
	}} with input as s3.doc([s3.bucket("data", {"policy": _json([_allow_read])})])
}

test_unjoined_policy_without_tls_statement_is_reported_on_its_own if {
	policy := mock.resource("aws_s3_bucket_policy", "elsewhere", {"bucket": "some-bucket", "policy": _json([_allow_read])})
	s3_tls_only.deny == {{
		"resource": "aws_s3_bucket_policy.elsewhere",
		"attribute": "policy",
		"message": sprintf("Bucket policy aws_s3_bucket_policy.elsewhere does not deny requests made without TLS; add %s", [_expected]),
	}} with input as s3.doc([policy])
}

test_cloudformation_bucket_without_policy if {
	bucket := mock.cfn("DataBucket", "AWS::S3::Bucket", {})
	s3_tls_only.deny == {{
		"resource": "DataBucket",
		"attribute": "",
		"message": sprintf("S3 bucket DataBucket has no bucket policy denying requests made without TLS; add %s", [_expected]),
	}} with input as s3.doc([bucket])
}

test_cloudformation_policy_without_tls_statement if {
	bucket := mock.cfn("DataBucket", "AWS::S3::Bucket", {})
	policy := s3.refer(mock.cfn("DataPolicy", "AWS::S3::BucketPolicy", {"PolicyDocument": {"Statement": [_allow_read]}}), "Bucket", "DataBucket")
	s3_tls_only.deny == {{
		"resource": "DataPolicy",
		"attribute": "PolicyDocument",
		"message": sprintf("Bucket policy DataPolicy does not deny requests made without TLS; add %s", [_expected]),
	}} with input as s3.doc([bucket, policy])
}

# ---------------------------------------------------------------------------
# Not firing

test_json_policy_with_tls_statement_passes if {
	variants := [
		_tls_deny,
		object.union(_tls_deny, {"Principal": {"AWS": "*"}, "Action": ["s3:GetObject", "S3:*"]}),
		object.union(_tls_deny, {"Principal": {"AWS": ["*"]}, "Action": "*"}),
		object.union(_tls_deny, {"Condition": {"Bool": {"AWS:SecureTransport": false}}}),
		object.union(_tls_deny, {"Condition": {"BoolIfExists": {"aws:securetransport": ["False"]}}}),
	]
	every v in variants {
		count(s3_tls_only.deny) == 0 with input as s3.doc([_data, _policy("data", "aws_s3_bucket.data", _json([_allow_read, v]))])
	}
}

test_statement_as_a_single_object_passes if {
	policy := json.marshal({"Statement": _tls_deny})
	count(s3_tls_only.deny) == 0 with input as s3.doc([_data, _policy("data", "aws_s3_bucket.data", policy)])
}

test_policy_document_with_tls_statement_passes if {
	count(s3_tls_only.deny) == 0 with input as s3.doc([
		_data,
		_document("data", [_hcl_tls]),
		_document_policy("data", "data.aws_iam_policy_document.data"),
	])
}

test_policy_document_merged_through_source_policy_documents_passes if {
	combined := object.union(
		mock.data_source("aws_iam_policy_document", "combined", {"source_policy_documents": [null]}),
		{
			"unknown": {"source_policy_documents": [true]},
			"references": [object.union(mock.ref("source_policy_documents.0", "data.aws_iam_policy_document.tls"), {"target_attribute": "json"})],
		},
	)
	count(s3_tls_only.deny) == 0 with input as s3.doc([
		_data,
		_document("tls", [_hcl_tls]),
		combined,
		_document_policy("data", "data.aws_iam_policy_document.combined"),
	])
}

test_known_json_merged_into_a_document_passes if {
	doc := mock.data_source("aws_iam_policy_document", "data", {"source_policy_documents": [_json([_tls_deny])]})
	count(s3_tls_only.deny) == 0 with input as s3.doc([_data, doc, _document_policy("data", "data.aws_iam_policy_document.data")])
}

test_legacy_inline_policy_with_tls_statement_passes if {
	count(s3_tls_only.deny) == 0 with input as s3.doc([s3.bucket("data", {"policy": _json([_tls_deny])})])
}

test_cloudformation_policy_with_tls_statement_passes if {
	bucket := mock.cfn("DataBucket", "AWS::S3::Bucket", {})
	statement := object.union(_with_condition({"Bool": {"aws:SecureTransport": false}}), {"Resource": [null, null]})
	policy := s3.unknown(
		s3.refer(mock.cfn("DataPolicy", "AWS::S3::BucketPolicy", {"PolicyDocument": {"Statement": [statement]}}), "Bucket", "DataBucket"),
		{"PolicyDocument": {"Statement": [{"Resource": [true, true]}]}},
	)
	count(s3_tls_only.deny) == 0 with input as s3.doc([bucket, policy])
}

# ---------------------------------------------------------------------------
# Unknown values are not reported

test_unknown_policy_is_not_reported if {
	# jsonencode over a resource's arn, or a variable: the whole string is unknown.
	from_arn := object.union(s3.config("aws_s3_bucket_policy", "data", "aws_s3_bucket.data", {}), {
		"unknown": {"bucket": true, "policy": true},
		"references": [mock.ref("bucket", "aws_s3_bucket.data"), object.union(mock.ref("policy", "aws_s3_bucket.data"), {"target_attribute": "arn"})],
	})
	count(s3_tls_only.deny) == 0 with input as s3.doc([_data, from_arn])
	from_variable := s3.unknown(s3.config("aws_s3_bucket_policy", "data", "aws_s3_bucket.data", {}), {"policy": true})
	count(s3_tls_only.deny) == 0 with input as s3.doc([_data, from_variable])
	inline := s3.unknown(_data, {"policy": true})
	count(s3_tls_only.deny) == 0 with input as s3.doc([inline])
}

test_document_with_unknown_statement_parts_is_not_reported if {
	# the effect and the condition value come from variables
	tls := object.union(object.remove(_hcl_tls, ["effect", "condition"]), {"condition": [{"test": "Bool", "variable": "aws:SecureTransport", "values": [null]}]})
	doc := s3.unknown(_document("data", [tls]), {"statement": [{"effect": true, "condition": [{"values": [true]}], "resources": [true]}]})
	count(s3_tls_only.deny) == 0 with input as s3.doc([_data, doc, _document_policy("data", "data.aws_iam_policy_document.data")])
	dynamic_condition := object.union(_document("data", [object.remove(_hcl_tls, ["condition"])]), {"meta": {"dynamic_unknown": ["statement.0.condition.0"]}})
	count(s3_tls_only.deny) == 0 with input as s3.doc([_data, dynamic_condition, _document_policy("data", "data.aws_iam_policy_document.data")])
	allow := {"effect": "Allow", "actions": ["s3:GetObject"]}
	dynamic_statement := object.union(_document("data", [allow]), {"meta": {"dynamic_unknown": ["statement.1"]}})
	count(s3_tls_only.deny) == 0 with input as s3.doc([_data, dynamic_statement, _document_policy("data", "data.aws_iam_policy_document.data")])
	from_variable := s3.unknown(_document("data", [allow]), {"source_policy_documents": true})
	count(s3_tls_only.deny) == 0 with input as s3.doc([_data, from_variable, _document_policy("data", "data.aws_iam_policy_document.data")])
}

test_unknown_parts_of_a_statement_that_cannot_deny_are_reported if {
	# an Allow statement with an unknown principal can never be the TLS deny
	allow := {"effect": "Allow", "actions": ["s3:GetObject"], "principals": [{"type": "AWS", "identifiers": [null]}]}
	doc := s3.unknown(_document("data", [allow]), {"statement": [{"principals": [{"identifiers": [true]}], "resources": [true]}]})
	s3_tls_only.deny == {{
		"resource": "aws_s3_bucket_policy.data",
		"attribute": "policy",
		"message": sprintf("Bucket policy aws_s3_bucket_policy.data (from data.aws_iam_policy_document.data) does not deny requests made without TLS; add %s", [_expected]),
	}} with input as s3.doc([_data, doc, _document_policy("data", "data.aws_iam_policy_document.data")])
	bucket := mock.cfn("DataBucket", "AWS::S3::Bucket", {})
	statement := object.union(_allow_read, {"Principal": {"AWS": null}})
	policy := s3.unknown(
		s3.refer(mock.cfn("DataPolicy", "AWS::S3::BucketPolicy", {"PolicyDocument": {"Statement": [statement]}}), "Bucket", "DataBucket"),
		{"PolicyDocument": {"Statement": [{"Principal": {"AWS": true}}]}},
	)
	s3_tls_only.deny == {{
		"resource": "DataPolicy",
		"attribute": "PolicyDocument",
		"message": sprintf("Bucket policy DataPolicy does not deny requests made without TLS; add %s", [_expected]),
	}} with input as s3.doc([bucket, policy])
}

test_invalid_json_policy_is_not_reported if {
	count(s3_tls_only.deny) == 0 with input as s3.doc([_data, _policy("data", "aws_s3_bucket.data", "{not json")])
}

test_cloudformation_policy_with_unknown_statement_is_not_reported if {
	bucket := mock.cfn("DataBucket", "AWS::S3::Bucket", {})
	policy := s3.unknown(
		s3.refer(mock.cfn("DataPolicy", "AWS::S3::BucketPolicy", {"PolicyDocument": {"Statement": [null]}}), "Bucket", "DataBucket"),
		{"PolicyDocument": {"Statement": [true]}},
	)
	count(s3_tls_only.deny) == 0 with input as s3.doc([bucket, policy])
}

test_unjoinable_policy_suppresses_buckets_without_policy if {
	# for_each over the buckets: each.value.id leaves no edge.
	policy := s3.unknown(mock.resource("aws_s3_bucket_policy", "each", {}), {"bucket": true, "policy": true})
	count(s3_tls_only.deny) == 0 with input as s3.doc([_data, policy])
}

test_data_source_bucket_is_not_reported if {
	count(s3_tls_only.deny) == 0 with input as s3.doc([mock.data_source("aws_s3_bucket", "existing", {"bucket": "existing"})])
}

test_cloudformation_module_suppresses_buckets_without_policy if {
	bucket := mock.cfn("DataBucket", "AWS::S3::Bucket", {})
	rain := s3.unknown(mock.cfn("DataAccess", "bucket-policy.yaml", {}), {"PolicyBucketName": true})
	count(s3_tls_only.deny) == 0 with input as s3.doc([bucket, rain])
	registry := mock.cfn("DataAccess", "Example::S3::BucketPolicy::MODULE", {})
	count(s3_tls_only.deny) == 0 with input as s3.doc([bucket, registry])
	custom := mock.cfn("Other", "Custom::Thing", {})
	s3_tls_only.deny == {{
		"resource": "DataBucket",
		"attribute": "",
		"message": sprintf("S3 bucket DataBucket has no bucket policy denying requests made without TLS; add %s", [_expected]),
	}} with input as s3.doc([bucket, custom])
}

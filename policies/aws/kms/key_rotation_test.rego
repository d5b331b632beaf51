package portcullis.aws.kms.key_rotation_test

import data.portcullis.aws.kms.key_rotation
import data.portcullis.lib.mock_test as mock

_key(values) := mock.resource("aws_kms_key", "data", object.union({"description": "orders"}, values))

test_missing_rotation_is_reported_at_the_resource if {
	key_rotation.deny == {{
		"resource": "aws_kms_key.data",
		"attribute": "",
		"message": "KMS key aws_kms_key.data has no enable_key_rotation (default false), so its key material is never rotated; set it to true",
	}} with input as mock.doc([_key({})])
}

test_rotation_false_is_reported_at_the_value if {
	expected := {{
		"resource": "aws_kms_key.data",
		"attribute": "enable_key_rotation",
		"message": "KMS key aws_kms_key.data sets enable_key_rotation to false, so its key material is never rotated; set it to true",
	}}
	key_rotation.deny == expected with input as mock.doc([_key({"enable_key_rotation": false})])
	key_rotation.deny == expected with input as mock.doc([_key({"enable_key_rotation": false, "customer_master_key_spec": "SYMMETRIC_DEFAULT", "key_usage": "ENCRYPT_DECRYPT"})])
}

test_rotation_enabled_passes if {
	count(key_rotation.deny) == 0 with input as mock.doc([_key({"enable_key_rotation": true})])
	count(key_rotation.deny) == 0 with input as mock.doc([_key({"enable_key_rotation": "true", "rotation_period_in_days": 90})])
}

test_keys_that_cannot_rotate_are_not_reported if {
	rsa := _key({"customer_master_key_spec": "RSA_4096", "key_usage": "SIGN_VERIFY"})
	hmac := _key({"customer_master_key_spec": "HMAC_256", "key_usage": "GENERATE_VERIFY_MAC", "enable_key_rotation": false})
	cloudhsm := _key({"custom_key_store_id": "cks-1234567890abcdef0"})
	xks := object.union(_key({"xks_key_id": "ext-key-1"}), {
		"unknown": {"custom_key_store_id": true},
		"references": [mock.ref("custom_key_store_id", "aws_kms_custom_key_store.xks")],
	})
	count(key_rotation.deny) == 0 with input as mock.doc([rsa])
	count(key_rotation.deny) == 0 with input as mock.doc([hmac])
	count(key_rotation.deny) == 0 with input as mock.doc([cloudhsm])
	count(key_rotation.deny) == 0 with input as mock.doc([xks])
}

test_unknown_values_are_not_reported if {
	rotation := object.union(_key({}), {"unknown": {"enable_key_rotation": true}})
	spec := object.union(_key({"enable_key_rotation": false}), {"unknown": {"customer_master_key_spec": true}})
	count(key_rotation.deny) == 0 with input as mock.doc([rotation])
	count(key_rotation.deny) == 0 with input as mock.doc([spec])
}

test_data_source_is_not_reported if {
	count(key_rotation.deny) == 0 with input as mock.doc([mock.data_source("aws_kms_key", "data", {"key_id": "alias/data"})])
}

test_cloudformation_forms if {
	missing := mock.cfn("Missing", "AWS::KMS::Key", {"Description": "missing"})
	off := mock.cfn("Off", "AWS::KMS::Key", {"EnableKeyRotation": "false", "KeySpec": "SYMMETRIC_DEFAULT", "Origin": "AWS_KMS"})
	on := mock.cfn("On", "AWS::KMS::Key", {"EnableKeyRotation": true})
	signing := mock.cfn("Signing", "AWS::KMS::Key", {"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"})
	external := mock.cfn("External", "AWS::KMS::Key", {"Origin": "EXTERNAL"})
	unknown_origin := object.union(mock.cfn("UnknownOrigin", "AWS::KMS::Key", {}), {"unknown": {"Origin": true}})
	unknown := object.union(mock.cfn("Unknown", "AWS::KMS::Key", {}), {"unknown": {"EnableKeyRotation": true}})
	opaque := object.union(mock.cfn("Opaque", "AWS::KMS::Key", {}), {"meta": {"properties_unknown": true}})
	key_rotation.deny == {
		{
			"resource": "Missing",
			"attribute": "",
			"message": "KMS key Missing has no EnableKeyRotation (default false), so its key material is never rotated; set it to true",
		},
		{
			"resource": "Off",
			"attribute": "EnableKeyRotation",
			"message": "KMS key Off sets EnableKeyRotation to false, so its key material is never rotated; set it to true",
		},
	} with input as mock.doc([missing, off, on, signing, external, unknown_origin, unknown, opaque])
}

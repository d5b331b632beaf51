package portcullis.aws.ecr.kms_encryption_test

import data.portcullis.aws.ecr.kms_encryption
import data.portcullis.lib.mock_test as mock

_expected := "KMS with a customer-managed key"

_repo(values) := mock.resource("aws_ecr_repository", "app", object.union({"name": "app"}, values))

test_missing_encryption_configuration_is_reported_at_the_resource if {
	kms_encryption.deny == {{
		"resource": "aws_ecr_repository.app",
		"attribute": "",
		"message": "ECR repository aws_ecr_repository.app has no encryption_configuration, so its images are encrypted with AES256 and keys managed by Amazon; set encryption_type = \"KMS\" and kms_key to a customer-managed key",
	}} with input as mock.doc([_repo({})])
}

test_aes256_is_reported_at_the_value if {
	kms_encryption.deny == {{
		"resource": "aws_ecr_repository.app",
		"attribute": "encryption_configuration.0.encryption_type",
		"message": sprintf("ECR repository aws_ecr_repository.app sets encryption_type to AES256 instead of KMS; use %s", [_expected]),
	}} with input as mock.doc([_repo({"encryption_configuration": [{"encryption_type": "AES256"}]})])
}

test_block_without_type_is_reported_at_the_block if {
	kms_encryption.deny == {{
		"resource": "aws_ecr_repository.app",
		"attribute": "encryption_configuration.0",
		"message": "ECR repository aws_ecr_repository.app has no encryption_type in encryption_configuration, so its images are encrypted with AES256 (the default); set encryption_type = \"KMS\" and kms_key to a customer-managed key",
	}} with input as mock.doc([_repo({"encryption_configuration": [{}]})])
}

test_kms_passes if {
	with_key := object.union(
		_repo({"encryption_configuration": [{"encryption_type": "KMS"}]}),
		{
			"unknown": {"encryption_configuration": [{"kms_key": true}]},
			"references": [mock.ref("encryption_configuration.0.kms_key", "aws_kms_key.ecr")],
		},
	)
	count(kms_encryption.deny) == 0 with input as mock.doc([with_key])
	count(kms_encryption.deny) == 0 with input as mock.doc([_repo({"encryption_configuration": [{"encryption_type": "KMS"}]})])
	count(kms_encryption.deny) == 0 with input as mock.doc([_repo({"encryption_configuration": [{"encryption_type": "KMS_DSSE", "kms_key": "arn:aws:kms:eu-west-1:111122223333:key/x"}]})])
}

test_unknown_encryption_is_not_reported if {
	unknown_type := object.union(_repo({"encryption_configuration": [{}]}), {"unknown": {"encryption_configuration": [{"encryption_type": true}]}})
	unknown_block := object.union(_repo({}), {"unknown": {"encryption_configuration": true}})
	count(kms_encryption.deny) == 0 with input as mock.doc([unknown_type])
	count(kms_encryption.deny) == 0 with input as mock.doc([unknown_block])
}

test_cloudformation_forms if {
	missing := mock.cfn("Missing", "AWS::ECR::Repository", {"RepositoryName": "missing"})
	aes := mock.cfn("Aes", "AWS::ECR::Repository", {"EncryptionConfiguration": {"EncryptionType": "AES256"}})
	no_type := mock.cfn("NoType", "AWS::ECR::Repository", {"EncryptionConfiguration": {"KmsKey": "alias/ecr"}})
	kms := mock.cfn("Kms", "AWS::ECR::Repository", {"EncryptionConfiguration": {"EncryptionType": "KMS", "KmsKey": "alias/ecr"}})
	unknown := object.union(mock.cfn("Unknown", "AWS::ECR::Repository", {}), {"unknown": {"EncryptionConfiguration": true}})
	opaque := object.union(mock.cfn("Opaque", "AWS::ECR::Repository", {}), {"meta": {"properties_unknown": true}})
	kms_encryption.deny == {
		{
			"resource": "Missing",
			"attribute": "",
			"message": "ECR repository Missing has no EncryptionConfiguration, so its images are encrypted with AES256 and keys managed by Amazon; set EncryptionType to KMS and KmsKey to a customer-managed key",
		},
		{
			"resource": "Aes",
			"attribute": "EncryptionConfiguration.EncryptionType",
			"message": sprintf("ECR repository Aes sets EncryptionType to AES256 instead of KMS; use %s", [_expected]),
		},
		{
			"resource": "NoType",
			"attribute": "EncryptionConfiguration",
			"message": "ECR repository NoType has no EncryptionType in EncryptionConfiguration, so its images are encrypted with AES256 (the default); set EncryptionType to KMS and KmsKey to a customer-managed key",
		},
	} with input as mock.doc([missing, aes, no_type, kms, unknown, opaque])
}

# A Terraform plan gives a block that is not written as an empty list.
test_plan_without_encryption_configuration_is_reported_at_the_resource if {
	repo := object.union(_repo({"encryption_configuration": [], "image_tag_mutability": "MUTABLE"}), {
		"format": "terraform-plan",
		"unknown": {"arn": true, "encryption_configuration": []},
	})
	kms_encryption.deny == {{
		"resource": "aws_ecr_repository.app",
		"attribute": "",
		"message": "ECR repository aws_ecr_repository.app has no encryption_configuration, so its images are encrypted with AES256 and keys managed by Amazon; set encryption_type = \"KMS\" and kms_key to a customer-managed key",
	}} with input as mock.doc([repo])
}

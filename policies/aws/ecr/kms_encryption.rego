# METADATA
# title: ECR repository not encrypted with a KMS key
# description: |
#   Amazon ECR encrypts images at rest with AES256 and keys that Amazon manages
#   unless a repository asks for AWS KMS. With a KMS key, and best with a
#   customer-managed one, the key policy decides who may decrypt the images,
#   every use of the key is logged in CloudTrail, and access can be revoked by
#   disabling the key: images often embed code, configuration and sometimes
#   credentials, so who can read them is part of access control (SOC 2 CC6.1
#   logical access, CC6.7 protection of data).
#
#   The rule reports an aws_ecr_repository without an encryption_configuration
#   block (AES256 by default; at the resource), or whose encryption_type is
#   AES256 or absent (at the value, or at the block), and an
#   AWS::ECR::Repository without EncryptionConfiguration or whose
#   EncryptionType is AES256. KMS and KMS_DSSE pass, also without a key of
#   their own (ECR then uses the AWS-managed key aws/ecr): naming a
#   customer-managed key is recommended but not checked. A value that cannot be
#   known statically is not reported. The severity is low: the images are
#   encrypted in every case, and the rule is about control of the key.
# custom:
#   id: PCS-AWS-032
#   name: ecr-kms-encryption
#   severity: low
#   precision: very-high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC6.7"
#   remediation: |
#     Encrypt the repository with a customer-managed KMS key whose key policy
#     allows only the roles that push and pull images. The encryption settings
#     of a repository cannot be changed after it is created: Terraform and
#     CloudFormation replace the repository, so push its images again.
#
#     ```hcl
#     resource "aws_ecr_repository" "app" {
#       name                 = "app"
#       image_tag_mutability = "IMMUTABLE"
#
#       encryption_configuration {
#         encryption_type = "KMS"
#         kms_key         = aws_kms_key.ecr.arn
#       }
#     }
#     ```
#
#     ```yaml
#     AppRepository:
#       Type: AWS::ECR::Repository
#       Properties:
#         EncryptionConfiguration:
#           EncryptionType: KMS
#           KmsKey: !GetAtt EcrKey.Arn
#     ```
#   resource_types:
#     - aws_ecr_repository
#     - AWS::ECR::Repository
package portcullis.aws.ecr.kms_encryption

import data.portcullis.lib.resource

_expected := "KMS with a customer-managed key"

_kms(v) if startswith(upper(trim_space(v)), "KMS")

# ---------------------------------------------------------------------------
# Terraform

deny contains finding if {
	some address, res in resource.of_types({"aws_ecr_repository"})
	resource.absent(res, "encryption_configuration")
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("ECR repository %s has no encryption_configuration, so its images are encrypted with AES256 and keys managed by Amazon; set encryption_type = \"KMS\" and kms_key to a customer-managed key", [address]),
	}
}

deny contains finding if {
	some address, res in resource.of_types({"aws_ecr_repository"})
	some i, block in resource.value(res, ["encryption_configuration"])
	v := block.encryption_type
	is_string(v)
	not _kms(v)
	finding := {
		"resource": address,
		"attribute": resource.path(["encryption_configuration", i, "encryption_type"]),
		"message": sprintf("ECR repository %s sets encryption_type to %s instead of KMS; use %s", [address, v, _expected]),
	}
}

deny contains finding if {
	some address, res in resource.of_types({"aws_ecr_repository"})
	some i, block in resource.value(res, ["encryption_configuration"])
	is_object(block)
	not "encryption_type" in object.keys(block)
	not resource.unknown(res, ["encryption_configuration", i, "encryption_type"])
	finding := {
		"resource": address,
		"attribute": resource.path(["encryption_configuration", i]),
		"message": sprintf("ECR repository %s has no encryption_type in encryption_configuration, so its images are encrypted with AES256 (the default); set encryption_type = \"KMS\" and kms_key to a customer-managed key", [address]),
	}
}

# ---------------------------------------------------------------------------
# CloudFormation

deny contains finding if {
	some address, res in resource.of_types({"AWS::ECR::Repository"})
	resource.absent(res, "EncryptionConfiguration")
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("ECR repository %s has no EncryptionConfiguration, so its images are encrypted with AES256 and keys managed by Amazon; set EncryptionType to KMS and KmsKey to a customer-managed key", [address]),
	}
}

deny contains finding if {
	some address, res in resource.of_types({"AWS::ECR::Repository"})
	v := resource.value(res, ["EncryptionConfiguration", "EncryptionType"])
	is_string(v)
	not _kms(v)
	finding := {
		"resource": address,
		"attribute": "EncryptionConfiguration.EncryptionType",
		"message": sprintf("ECR repository %s sets EncryptionType to %s instead of KMS; use %s", [address, v, _expected]),
	}
}

deny contains finding if {
	some address, res in resource.of_types({"AWS::ECR::Repository"})
	config := resource.value(res, ["EncryptionConfiguration"])
	is_object(config)
	not "EncryptionType" in object.keys(config)
	not resource.unknown(res, ["EncryptionConfiguration", "EncryptionType"])
	finding := {
		"resource": address,
		"attribute": "EncryptionConfiguration",
		"message": sprintf("ECR repository %s has no EncryptionType in EncryptionConfiguration, so its images are encrypted with AES256 (the default); set EncryptionType to KMS and KmsKey to a customer-managed key", [address]),
	}
}

# METADATA
# title: KMS key without automatic rotation
# description: |
#   A KMS key that is never rotated encrypts ever more data with the same key
#   material for as long as it exists, so a single exposure of that material,
#   or a cryptographic weakness found later, reaches all of it. With automatic
#   rotation AWS KMS creates new key material every year (or on the period
#   chosen) and keeps the old material to decrypt what it encrypted, without any
#   change for applications: it is cheap and is what auditors expect for
#   customer-managed keys (SOC 2 CC6.1 management of encryption keys; CIS AWS
#   Foundations 3.6; AWS Foundational Security Best Practices KMS.4).
#
#   The rule reports an aws_kms_key without enable_key_rotation (the default is
#   false; at the resource) or with it set to false (at the value), and an
#   AWS::KMS::Key without EnableKeyRotation or with it false. Only keys that
#   AWS can rotate automatically are checked: symmetric encryption keys
#   (customer_master_key_spec or KeySpec missing or SYMMETRIC_DEFAULT) whose key
#   material AWS KMS generates. Asymmetric and HMAC keys, keys in a custom key
#   store (custom_key_store_id, xks_key_id) and keys with imported key material
#   (aws_kms_external_key, which the rule does not read, or Origin EXTERNAL) are
#   not reported, nor is a key whose rotation, key spec, key store or origin
#   cannot be known statically.
# custom:
#   id: PCS-AWS-038
#   name: kms-key-rotation
#   severity: medium
#   precision: very-high
#   controls:
#     - "SOC2:CC6.1"
#     - "CIS-AWS-3.0:3.6"
#     - "AWS-FSBP:KMS.4"
#   remediation: |
#     Enable automatic rotation on every symmetric customer-managed key (the
#     period defaults to 365 days; rotation_period_in_days or
#     RotationPeriodInDays chooses another between 90 and 2560).
#
#     ```hcl
#     resource "aws_kms_key" "data" {
#       description             = "Encrypts the orders database"
#       enable_key_rotation     = true
#       deletion_window_in_days = 30
#     }
#     ```
#
#     ```yaml
#     DataKey:
#       Type: AWS::KMS::Key
#       Properties:
#         Description: Encrypts the orders database
#         EnableKeyRotation: true
#         KeyPolicy:
#           Version: "2012-10-17"
#           Statement:
#             - Sid: AccountAdministration
#               Effect: Allow
#               Principal:
#                 AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root
#               Action: kms:*
#               Resource: "*"
#     ```
#   resource_types:
#     - aws_kms_key
#     - AWS::KMS::Key
package portcullis.aws.kms.key_rotation

import data.portcullis.lib.resource

# _forms: key type -> its attribute names. custom_stores are attributes that
# place the key in a custom key store (no automatic rotation) when set.
_forms := {
	"aws_kms_key": {
		"rotation": "enable_key_rotation",
		"spec": "customer_master_key_spec",
		"custom_stores": ["custom_key_store_id", "xks_key_id"],
	},
	"AWS::KMS::Key": {
		"rotation": "EnableKeyRotation",
		"spec": "KeySpec",
		"origin": "Origin",
		"custom_stores": [],
	},
}

deny contains finding if {
	some t, form in _forms
	some address, res in resource.of_types({t})
	_rotatable(res, form)
	attr := form.rotation
	resource.missing(res, attr)
	not attr in object.keys(object.get(res, "values", {}))
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("KMS key %s has no %s (default false), so its key material is never rotated; set it to true", [address, attr]),
	}
}

deny contains finding if {
	some t, form in _forms
	some address, res in resource.of_types({t})
	resource.is_false(res, [form.rotation])
	_rotatable(res, form)
	finding := {
		"resource": address,
		"attribute": form.rotation,
		"message": sprintf("KMS key %s sets %s to false, so its key material is never rotated; set it to true", [address, form.rotation]),
	}
}

# _rotatable(res, form) is true when the key is known to be a symmetric
# encryption key whose material AWS KMS generates and stores.
_rotatable(res, form) if {
	not resource.properties_unknown(res)
	_symmetric(res, form)
	not _custom_store(res, form)
	_generated(res, form)
}

_symmetric(res, form) if {
	resource.value(res, [form.spec]) == null
	not resource.unknown(res, [form.spec])
}

_symmetric(res, form) if {
	spec := resource.value(res, [form.spec])
	is_string(spec)
	upper(trim_space(spec)) == "SYMMETRIC_DEFAULT"
}

_custom_store(res, form) if {
	some attr in form.custom_stores
	resource.set(res, attr)
}

_generated(_, form) if not form.origin

_generated(res, form) if {
	resource.value(res, [form.origin]) == null
	not resource.unknown(res, [form.origin])
}

_generated(res, form) if {
	origin := resource.value(res, [form.origin])
	is_string(origin)
	upper(trim_space(origin)) == "AWS_KMS"
}

# METADATA
# title: ECR repository does not scan images on push
# description: |
#   A container image carries an operating system and libraries of its own, and
#   a vulnerable package in a base image reaches every service built on it.
#   Scanning each image when it is pushed to Amazon ECR lists its known
#   vulnerabilities (CVEs) before it is deployed, so that they can be triaged
#   and fixed; without it nobody looks until an incident (SOC 2 CC7.1 detection
#   of vulnerabilities in system components; AWS Foundational Security Best
#   Practices ECR.1).
#
#   The rule reports an aws_ecr_repository without an
#   image_scanning_configuration block (at the resource) or whose scan_on_push
#   is false (at the value), and an AWS::ECR::Repository without
#   ImageScanningConfiguration or whose ScanOnPush is false or absent. It
#   reports nothing when scanning is configured for the whole registry in the
#   same root: an aws_ecr_registry_scanning_configuration (or
#   AWS::ECR::RegistryScanningConfiguration) whose scan type is ENHANCED (Amazon
#   Inspector) or that has a rule scanning on push or continuously; the
#   repository filters of such rules are not matched against repository names,
#   so a registry rule covering only some repositories hides the others. A
#   scan_on_push or registry setting whose value cannot be known statically is
#   not reported.
# custom:
#   id: PCS-AWS-030
#   name: ecr-scan-on-push
#   severity: medium
#   precision: high
#   controls:
#     - "SOC2:CC7.1"
#     - "AWS-FSBP:ECR.1"
#   remediation: |
#     Scan every image when it is pushed, on the repository, or once for the
#     whole registry with enhanced scanning (Amazon Inspector), which also
#     rescans images when new vulnerabilities are published.
#
#     ```hcl
#     resource "aws_ecr_repository" "app" {
#       name                 = "app"
#       image_tag_mutability = "IMMUTABLE"
#
#       image_scanning_configuration {
#         scan_on_push = true
#       }
#     }
#
#     # or, for every repository of the registry:
#     resource "aws_ecr_registry_scanning_configuration" "this" {
#       scan_type = "ENHANCED"
#
#       rule {
#         scan_frequency = "CONTINUOUS_SCAN"
#         repository_filter {
#           filter      = "*"
#           filter_type = "WILDCARD"
#         }
#       }
#     }
#     ```
#
#     ```yaml
#     AppRepository:
#       Type: AWS::ECR::Repository
#       Properties:
#         ImageTagMutability: IMMUTABLE
#         ImageScanningConfiguration:
#           ScanOnPush: true
#     ```
#   resource_types:
#     - aws_ecr_repository
#     - aws_ecr_registry_scanning_configuration
#     - AWS::ECR::Repository
#     - AWS::ECR::RegistryScanningConfiguration
package portcullis.aws.ecr.scan_on_push

import data.portcullis.lib.resource

# Registry scanning rule frequencies that scan a new image.
_frequencies := {"SCAN_ON_PUSH", "CONTINUOUS_SCAN"}

# _registry_forms: registry scanning configuration type -> its attribute names.
_registry_forms := {
	"aws_ecr_registry_scanning_configuration": {"scan_type": "scan_type", "rules": "rule", "frequency": "scan_frequency"},
	"AWS::ECR::RegistryScanningConfiguration": {"scan_type": "ScanType", "rules": "Rules", "frequency": "ScanFrequency"},
}

# _registry_scanning is true when a registry scanning configuration of the
# root scans images (or may: a value not known statically counts).
_registry_scanning if {
	some t, form in _registry_forms
	some res in resource.of_types({t})
	_scans(res, form)
}

_scans(res, form) if _upper(resource.value(res, [form.scan_type])) == "ENHANCED"

_scans(res, form) if resource.unknown(res, [form.scan_type])

_scans(res, _) if resource.properties_unknown(res)

_scans(res, form) if {
	some rule in resource.value(res, [form.rules])
	_upper(rule[form.frequency]) in _frequencies
}

_scans(res, form) if {
	some i, _ in resource.value(res, [form.rules])
	resource.unknown(res, [form.rules, i, form.frequency])
}

_scans(res, form) if resource.unknown(res, [form.rules])

_upper(v) := upper(v) if is_string(v)

_fix := "set scan_on_push = true in image_scanning_configuration or configure registry scanning"

# ---------------------------------------------------------------------------
# Terraform

deny contains finding if {
	not _registry_scanning
	some address, res in resource.of_types({"aws_ecr_repository"})
	resource.absent(res, "image_scanning_configuration")
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("ECR repository %s has no image_scanning_configuration, so images are not scanned on push; %s", [address, _fix]),
	}
}

deny contains finding if {
	not _registry_scanning
	some address, res in resource.of_types({"aws_ecr_repository"})
	some i, block in resource.value(res, ["image_scanning_configuration"])
	resource.falsy(block.scan_on_push)
	finding := {
		"resource": address,
		"attribute": resource.path(["image_scanning_configuration", i, "scan_on_push"]),
		"message": sprintf("ECR repository %s sets scan_on_push to false, so images are not scanned on push; %s", [address, _fix]),
	}
}

deny contains finding if {
	not _registry_scanning
	some address, res in resource.of_types({"aws_ecr_repository"})
	some i, block in resource.value(res, ["image_scanning_configuration"])
	is_object(block)
	not "scan_on_push" in object.keys(block)
	not resource.unknown(res, ["image_scanning_configuration", i, "scan_on_push"])
	finding := {
		"resource": address,
		"attribute": resource.path(["image_scanning_configuration", i]),
		"message": sprintf("ECR repository %s has no scan_on_push in image_scanning_configuration (default false), so images are not scanned on push; %s", [address, _fix]),
	}
}

# ---------------------------------------------------------------------------
# CloudFormation

_cfn_fix := "set ImageScanningConfiguration.ScanOnPush to true or configure registry scanning"

deny contains finding if {
	not _registry_scanning
	some address, res in resource.of_types({"AWS::ECR::Repository"})
	resource.absent(res, "ImageScanningConfiguration")
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("ECR repository %s has no ImageScanningConfiguration, so images are not scanned on push; %s", [address, _cfn_fix]),
	}
}

deny contains finding if {
	not _registry_scanning
	some address, res in resource.of_types({"AWS::ECR::Repository"})
	resource.is_false(res, ["ImageScanningConfiguration", "ScanOnPush"])
	finding := {
		"resource": address,
		"attribute": "ImageScanningConfiguration.ScanOnPush",
		"message": sprintf("ECR repository %s sets ScanOnPush to false, so images are not scanned on push; %s", [address, _cfn_fix]),
	}
}

deny contains finding if {
	not _registry_scanning
	some address, res in resource.of_types({"AWS::ECR::Repository"})
	config := resource.value(res, ["ImageScanningConfiguration"])
	is_object(config)
	not "ScanOnPush" in object.keys(config)
	not resource.unknown(res, ["ImageScanningConfiguration", "ScanOnPush"])
	finding := {
		"resource": address,
		"attribute": "ImageScanningConfiguration",
		"message": sprintf("ECR repository %s has no ScanOnPush in ImageScanningConfiguration (default false), so images are not scanned on push; %s", [address, _cfn_fix]),
	}
}

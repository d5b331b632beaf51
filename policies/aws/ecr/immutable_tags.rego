# METADATA
# title: ECR repository tags are mutable
# description: |
#   When image tags are mutable, pushing an image under an existing tag
#   (v1.4.2, prod) silently replaces what that tag deploys. Whoever can push,
#   including a compromised build job, can swap a reviewed release for
#   different code without any change to the deployment configuration, and the
#   running version can no longer be traced back to a build. Immutable tags make
#   every release a fixed artefact and keep changes going through the change
#   process (SOC 2 CC8.1 authorised changes; AWS Foundational Security Best
#   Practices ECR.2).
#
#   The rule reports an aws_ecr_repository whose image_tag_mutability is
#   missing (the default is MUTABLE; at the resource) or is MUTABLE or
#   MUTABLE_WITH_EXCLUSION (at the value), and an AWS::ECR::Repository whose
#   ImageTagMutability is missing or mutable. MUTABLE_WITH_EXCLUSION, where only
#   the tags matching an exclusion filter are immutable, is low; the others are
#   medium. IMMUTABLE and IMMUTABLE_WITH_EXCLUSION (every tag immutable except
#   those matching a filter, such as latest) pass. A value that cannot be known
#   statically is not reported.
# custom:
#   id: PCS-AWS-031
#   name: ecr-immutable-tags
#   severity: medium
#   precision: very-high
#   controls:
#     - "SOC2:CC8.1"
#     - "AWS-FSBP:ECR.2"
#   remediation: |
#     Make the repository's tags immutable and give each build a tag of its own
#     (the commit or a version). If a moving tag such as latest is needed, keep
#     it mutable with an exclusion filter and keep every other tag immutable.
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
#     ```
#
#     ```yaml
#     AppRepository:
#       Type: AWS::ECR::Repository
#       Properties:
#         ImageTagMutability: IMMUTABLE
#     ```
#   resource_types:
#     - aws_ecr_repository
#     - AWS::ECR::Repository
package portcullis.aws.ecr.immutable_tags

import data.portcullis.lib.resource

# _forms: repository type -> the attribute holding its tag mutability.
_forms := {
	"aws_ecr_repository": "image_tag_mutability",
	"AWS::ECR::Repository": "ImageTagMutability",
}

# Values that keep release tags immutable.
_immutable := {"IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"}

deny contains finding if {
	some t, attr in _forms
	some address, res in resource.of_types({t})
	resource.missing(res, attr)
	not attr in object.keys(object.get(res, "values", {}))
	not resource.properties_unknown(res)
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("ECR repository %s has no %s, so its tags are mutable (the default MUTABLE) and a push can replace a released image; set it to IMMUTABLE", [address, attr]),
	}
}

deny contains finding if {
	some t, attr in _forms
	some address, res in resource.of_types({t})
	v := resource.value(res, [attr])
	is_string(v)
	not upper(trim_space(v)) in _immutable
	finding := object.union(
		{
			"resource": address,
			"attribute": attr,
			"message": sprintf("ECR repository %s sets %s to %s, so %s; set it to IMMUTABLE", [address, attr, v, _consequence(v)]),
		},
		_severity(v),
	)
}

_consequence(v) := "only the tags matching its exclusion filters are immutable and a push can replace any other released image" if {
	upper(trim_space(v)) == "MUTABLE_WITH_EXCLUSION"
} else := "a push can replace a released image"

_severity(v) := {"severity": "low"} if upper(trim_space(v)) == "MUTABLE_WITH_EXCLUSION"

else := {}

# METADATA
# title: Security group without a data-classification tag
# description: |
#   An example of a team's own rule (docs/writing-policies.md walks through
#   it). ACME classifies every network boundary by the most sensitive data it
#   guards, so that the owners of a finding on a security group know at once
#   how urgent it is, and the auditor can trace confidential data to the
#   controls that protect it (SOC 2 C1.1).
#
#   The rule reports an aws_security_group, or a CloudFormation
#   AWS::EC2::SecurityGroup, whose tags hold no data-classification tag, or
#   one whose value is not public, internal, confidential or restricted. A
#   tag map or value that cannot be known statically (a variable with no
#   value) is not reported. Tags given through the AWS provider's
#   default_tags are not seen: tag the group itself.
# custom:
#   id: ACME-TAG-001
#   name: missing-data-classification
#   severity: low
#   controls: ["SOC2:C1.1"]
#   remediation: |
#     Tag the group with the most sensitive class of data it guards.
#
#     ```hcl
#     resource "aws_security_group" "db" {
#       description = "PostgreSQL for the orders service"
#       tags = {
#         data-classification = "confidential"
#       }
#     }
#     ```
#
#     ```yaml
#     DatabaseSecurityGroup:
#       Type: AWS::EC2::SecurityGroup
#       Properties:
#         GroupDescription: PostgreSQL for the orders service
#         Tags:
#           - Key: data-classification
#             Value: confidential
#     ```
#   resource_types: [aws_security_group, AWS::EC2::SecurityGroup]
package acme.tagging.data_classification

import data.portcullis.lib.resource

_key := "data-classification"

# The classes, least sensitive first.
_class_order := ["public", "internal", "confidential", "restricted"]

_classes := {c | some c in _class_order}

_types := {"aws_security_group", "AWS::EC2::SecurityGroup"}

deny contains {
	"resource": address,
	"attribute": _missing_at(res),
	"message": sprintf("Security group %s has no %s tag; tag it %s or %s", [address, _key, concat(", ", array.slice(_class_order, 0, 3)), _class_order[3]]),
} if {
	some address, res in resource.of_types(_types)
	not _tagged(res)
	not _tags_unknown(res)
}

deny contains {
	"resource": address,
	"attribute": tag.path,
	"message": sprintf("Security group %s has %s %q, which is not one of %s", [address, _key, tag.value, concat(", ", _class_order)]),
} if {
	some address, res in resource.of_types(_types)
	some tag in _classification(res)
	not tag.value in _classes
}

# _tagged: the tag is written, whatever its value (known or not).
# Terraform writes tags as a map, CloudFormation as a list of {Key, Value}.
_tagged(res) if resource.known(res, ["tags", _key])

_tagged(res) if resource.unknown(res, ["tags", _key])

_tagged(res) if {
	some tag in resource.as_array(resource.value(res, ["Tags"]))
	tag.Key == _key
}

# _tags_unknown: the tags as a whole, or the key of a CloudFormation tag,
# cannot be known statically: the tag may be there.
_tags_unknown(res) if resource.unknown(res, ["tags"])

_tags_unknown(res) if resource.unknown(res, ["Tags"])

_tags_unknown(res) if {
	some i, _ in resource.as_array(resource.value(res, ["Tags"]))
	resource.unknown(res, ["Tags", i, "Key"])
}

# _classification: the known values of the tag, with the path to point at.
_classification(res) := {{"value": v, "path": concat(".", ["tags", _key])} |
	v := resource.value(res, ["tags", _key])
	v != null
} | {{"value": tag.Value, "path": sprintf("Tags.%d.Value", [i])} |
	some i, tag in resource.as_array(resource.value(res, ["Tags"]))
	tag.Key == _key
	resource.known(res, ["Tags", i, "Value"])
}

# _missing_at: a missing tag is reported at the tags when they are written,
# else at the resource header.
_missing_at(res) := "tags" if resource.known(res, ["tags"])

_missing_at(res) := "Tags" if resource.known(res, ["Tags"])

_missing_at(res) := "" if {
	not resource.known(res, ["tags"])
	not resource.known(res, ["Tags"])
}

# METADATA
# title: Security group or rule without a description
# description: |
#   Security groups are the main network control in AWS, and an auditor (or the
#   engineer on call) must be able to tell what each group protects and why each
#   rule exists without reverse-engineering the configuration. SOC 2 CC6.1 asks
#   for documented logical access controls, and CC7.1 for being able to spot
#   configuration changes that introduce weaknesses: a rule nobody can explain
#   cannot be reviewed, and is rarely removed.
#
#   The rule reports an aws_security_group (or CloudFormation
#   AWS::EC2::SecurityGroup) whose description is missing, empty or blank, or is
#   Terraform's placeholder "Managed by Terraform" (what Terraform writes when
#   none is given); and every ingress or egress rule, in every form (inline
#   blocks of aws_security_group and aws_default_security_group,
#   aws_security_group_rule, aws_vpc_security_group_ingress_rule and
#   aws_vpc_security_group_egress_rule, and the CloudFormation forms), whose
#   description is missing, empty or blank. A description that cannot be known
#   statically is not reported. The severity is medium: a missing description
#   opens nothing by itself, but it is an audit requirement for the
#   documentation of network controls, and it makes every other finding on the
#   group harder to triage.
# custom:
#   id: PCS-AWS-003
#   name: missing-description
#   severity: medium
#   precision: very-high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC7.1"
#   remediation: |
#     Describe each security group by what it protects and each rule by what it
#     allows and why. Note that changing a security group's description replaces
#     the group in Terraform; a rule's description can be changed in place.
#
#       resource "aws_security_group" "db" {
#         name        = "orders-db"
#         description = "PostgreSQL for the orders service"
#         vpc_id      = aws_vpc.main.id
#
#         ingress {
#           description     = "PostgreSQL from the orders application servers"
#           from_port       = 5432
#           to_port         = 5432
#           protocol        = "tcp"
#           security_groups = [aws_security_group.orders_app.id]
#         }
#       }
#   resource_types:
#     - aws_security_group
#     - aws_default_security_group
#     - aws_security_group_rule
#     - aws_vpc_security_group_ingress_rule
#     - aws_vpc_security_group_egress_rule
#     - AWS::EC2::SecurityGroup
#     - AWS::EC2::SecurityGroupIngress
#     - AWS::EC2::SecurityGroupEgress
package portcullis.aws.ec2.missing_description

import data.portcullis.lib.network

# _group_description: group type -> attribute holding its description.
_group_description := {
	"aws_security_group": "description",
	"AWS::EC2::SecurityGroup": "GroupDescription",
}

# Terraform's placeholder when a security group is given no description.
_placeholder := "Managed by Terraform"

# ---------------------------------------------------------------------------
# Security groups

deny contains finding if {
	some address, res in network.managed_resources
	attr := _group_description[res.type]
	not _known_or_unknown(res, attr)
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("Security group %s has no %s%s", [address, attr, _default_note(res)]),
	}
}

deny contains finding if {
	some address, res in network.managed_resources
	attr := _group_description[res.type]
	d := res.values[attr]
	is_string(d)
	trim_space(d) == ""
	finding := {
		"resource": address,
		"attribute": attr,
		"message": sprintf("Security group %s has an empty %s; say what the group protects", [address, attr]),
	}
}

deny contains finding if {
	some address, res in network.managed_resources
	res.type == "aws_security_group"
	d := res.values.description
	is_string(d)
	lower(trim_space(d)) == lower(_placeholder)
	finding := {
		"resource": address,
		"attribute": "description",
		"message": sprintf("Security group %s keeps Terraform's placeholder description \"%s\"; say what the group protects", [address, _placeholder]),
	}
}

_known_or_unknown(res, attr) if object.get(res, ["values", attr], null) != null

_known_or_unknown(res, attr) if network.is_unknown(object.get(res, "unknown", {}), [attr])

_default_note(res) := sprintf(", so Terraform sets the placeholder \"%s\", which says nothing about what the group protects", [_placeholder]) if {
	res.type == "aws_security_group"
} else := "; say what the group protects"

# ---------------------------------------------------------------------------
# Rules, in every form

deny contains finding if {
	some rule in network.rules
	not rule.description_unknown
	not "description" in object.keys(rule)
	finding := {
		"resource": rule.resource,
		"attribute": rule.path,
		"message": sprintf("Security group rule %s has no description; say what the rule allows and why", [network.label(rule)]),
	}
}

deny contains finding if {
	some rule in network.rules
	trim_space(rule.description) == ""
	finding := {
		"resource": rule.resource,
		"attribute": rule.description_path,
		"message": sprintf("Security group rule %s has an empty description; say what the rule allows and why", [network.label(rule)]),
	}
}

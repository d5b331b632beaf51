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
#   The rule reports a security group whose description is missing, empty or
#   blank, or a placeholder that says nothing ("Managed by Terraform", what
#   Terraform writes when none is given, and "Security Group managed by
#   Terraform", the default of the popular registry module): aws_security_group
#   and AWS::EC2::SecurityGroup, and the EC2-Classic era groups
#   aws_db_security_group, aws_redshift_security_group,
#   aws_elasticache_security_group (all three default to "Managed by
#   Terraform"), AWS::RDS::DBSecurityGroup, AWS::Redshift::ClusterSecurityGroup
#   and AWS::ElastiCache::SecurityGroup. It reports every ingress or egress
#   rule of a security group, in every form (inline blocks of
#   aws_security_group and aws_default_security_group, aws_security_group_rule,
#   aws_vpc_security_group_ingress_rule and aws_vpc_security_group_egress_rule,
#   and the CloudFormation forms), whose description is missing, empty, blank
#   or one of those placeholders. Network ACL entries and classic group
#   ingress entries have no description attribute and are not reported. A
#   description that cannot be known statically is not reported; in a plan,
#   which shows an unset description of an inline block as "", that block is
#   reported as having none. The severity
#   is medium: a missing description opens nothing by itself, but it is an
#   audit requirement for the documentation of network controls, and it makes
#   every other finding on the group harder to triage.
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
#     ```hcl
#     resource "aws_security_group" "db" {
#       name        = "orders-db"
#       description = "PostgreSQL for the orders service"
#       vpc_id      = aws_vpc.main.id
#
#       ingress {
#         description     = "PostgreSQL from the orders application servers"
#         from_port       = 5432
#         to_port         = 5432
#         protocol        = "tcp"
#         security_groups = [aws_security_group.orders_app.id]
#       }
#     }
#     ```
#
#     ```yaml
#     DatabaseSecurityGroup:
#       Type: AWS::EC2::SecurityGroup
#       Properties:
#         GroupDescription: PostgreSQL for the orders service
#         VpcId: !Ref Vpc
#         SecurityGroupIngress:
#           - Description: PostgreSQL from the orders application servers
#             IpProtocol: tcp
#             FromPort: 5432
#             ToPort: 5432
#             SourceSecurityGroupId: !Ref OrdersAppSecurityGroup
#     ```
#   resource_types:
#     - aws_security_group
#     - aws_default_security_group
#     - aws_security_group_rule
#     - aws_vpc_security_group_ingress_rule
#     - aws_vpc_security_group_egress_rule
#     - AWS::EC2::SecurityGroup
#     - AWS::EC2::SecurityGroupIngress
#     - AWS::EC2::SecurityGroupEgress
#     - aws_db_security_group
#     - aws_redshift_security_group
#     - aws_elasticache_security_group
#     - AWS::RDS::DBSecurityGroup
#     - AWS::Redshift::ClusterSecurityGroup
#     - AWS::ElastiCache::SecurityGroup
package portcullis.aws.ec2.missing_description

import data.portcullis.lib.network
import data.portcullis.lib.resource

# _group_description: group type -> [attribute holding its description,
# what to call the group, whether the provider fills in a placeholder].
_group_description := {
	"aws_security_group": ["description", "Security group", true],
	"AWS::EC2::SecurityGroup": ["GroupDescription", "Security group", false],
	"aws_db_security_group": ["description", "DB security group", true],
	"aws_redshift_security_group": ["description", "Redshift security group", true],
	"aws_elasticache_security_group": ["description", "ElastiCache security group", true],
	"AWS::RDS::DBSecurityGroup": ["GroupDescription", "DB security group", false],
	"AWS::Redshift::ClusterSecurityGroup": ["Description", "Redshift security group", false],
	"AWS::ElastiCache::SecurityGroup": ["Description", "ElastiCache security group", false],
}

# Terraform's placeholder when a group is given no description.
_placeholder := "Managed by Terraform"

# ---------------------------------------------------------------------------
# Groups

deny contains finding if {
	some address, res in resource.of_types(object.keys(_group_description))
	[attr, what, filled] := _group_description[res.type]
	not resource.known(res, [attr])
	not resource.unknown(res, [attr])
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("%s %s has no %s%s", [what, address, attr, _default_note(filled, what)]),
	}
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_group_description))
	[attr, what, _] := _group_description[res.type]
	d := res.values[attr]
	is_string(d)
	trim_space(d) == ""
	finding := {
		"resource": address,
		"attribute": attr,
		"message": sprintf("%s %s has an empty %s; say what the group protects", [what, address, attr]),
	}
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_group_description))
	[attr, what, _] := _group_description[res.type]
	d := res.values[attr]
	network.is_placeholder_description(d)
	finding := {
		"resource": address,
		"attribute": attr,
		"message": sprintf("%s %s keeps the placeholder description \"%s\"; say what the group protects", [what, address, d]),
	}
}

_default_note(true, _) := sprintf(", so Terraform sets the placeholder \"%s\", which says nothing about what the group protects", [_placeholder])

_default_note(false, _) := "; say what the group protects"

# ---------------------------------------------------------------------------
# Rules of security groups, in every form

_described_rules contains rule if {
	some rule in network.rules
	rule.kind == "security_group"
}

deny contains finding if {
	some rule in _described_rules
	network.description_missing(rule)
	finding := {
		"resource": rule.resource,
		"attribute": rule.path,
		"message": sprintf("Security group rule %s has no description; say what the rule allows and why", [network.label(rule)]),
	}
}

deny contains finding if {
	some rule in _described_rules
	trim_space(rule.description) == ""
	not network.description_missing(rule)
	finding := {
		"resource": rule.resource,
		"attribute": rule.description_path,
		"message": sprintf("Security group rule %s has an empty description; say what the rule allows and why", [network.label(rule)]),
	}
}

deny contains finding if {
	some rule in _described_rules
	network.is_placeholder_description(rule.description)
	finding := {
		"resource": rule.resource,
		"attribute": rule.description_path,
		"message": sprintf("Security group rule %s keeps the placeholder description \"%s\"; say what the rule allows and why", [network.label(rule), rule.description]),
	}
}

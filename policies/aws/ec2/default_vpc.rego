# METADATA
# title: Default VPC or default security group in use
# description: |
#   Every AWS region comes with a default VPC whose subnets are all public (a
#   route to an internet gateway, public IPv4 addresses assigned at launch) and
#   whose layout nobody designed or reviewed. Workloads placed there get none of
#   the segmentation, flow logging and routing controls of a purpose-built VPC,
#   and an auditor cannot tell which network boundary protects them (SOC 2 CC6.1,
#   CC6.6). Every VPC also has a default security group that AWS attaches to any
#   network interface launched without a group; it must allow no traffic, so
#   that forgetting to name a group isolates a resource instead of exposing it
#   (CIS AWS 5.4).
#
#   The rule reports:
#   - aws_default_vpc and aws_default_subnet: declaring them adopts the default
#     network into the configuration and keeps it in use (delete it instead).
#   - aws_default_security_group with any ingress or egress block, and any
#     aws_security_group_rule or aws_vpc_security_group_*_rule whose
#     security_group_id references one. A rule-less aws_default_security_group is
#     the compliant way to strip the default group and passes.
#   - Resources that name no network and therefore land in the default VPC:
#     aws_security_group without vpc_id; aws_instance without subnet_id and
#     without network_interface (unless it uses a launch_template, which may carry
#     the subnet); aws_db_instance without db_subnet_group_name (unless it is a
#     read replica, which inherits its source's subnet group); aws_lb/aws_alb
#     without subnets and subnet_mapping; aws_elb without subnets (one given only
#     availability_zones is created in the default VPC); and the CloudFormation
#     equivalents (AWS::EC2::SecurityGroup without VpcId, AWS::EC2::Instance
#     without SubnetId and NetworkInterfaces and LaunchTemplate,
#     AWS::RDS::DBInstance without DBSubnetGroupName that is neither a replica nor
#     an Aurora cluster member, AWS::ElasticLoadBalancingV2::LoadBalancer without
#     Subnets and SubnetMappings, AWS::ElasticLoadBalancing::LoadBalancer without
#     Subnets). aws_lambda_function is exempt: without vpc_config it runs in an
#     AWS-managed network, not in the default VPC.
#   - Resources placed in the default VPC explicitly: a vpc_id, subnet_id,
#     subnet_ids, subnets or vpc_zone_identifier attribute (at any depth) whose
#     reference edge leads to aws_default_vpc, aws_default_subnet, a data.aws_vpc
#     that looks up the default VPC (default = true or an isDefault filter), a
#     data.aws_subnet that looks up a default subnet (default_for_az = true or a
#     default-for-az filter), or a subnet lookup (data.aws_subnet, aws_subnets,
#     aws_subnet_ids) filtered on one of those VPCs. aws_flow_log and the
#     aws_default_* resources are exempt: they monitor or lock down the default
#     network rather than use it.
#   An attribute that is set to a value unknown statically counts as set: only a
#   value that is really absent is reported.
# custom:
#   id: PCS-AWS-002
#   name: default-vpc
#   severity: medium
#   precision: high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC6.6"
#     - "CIS-AWS-3.0:5.4"
#   remediation: |
#     Create a dedicated VPC with private subnets (or use your platform's network
#     module) and place every resource in it explicitly: vpc_id for security
#     groups, subnet_id for instances, db_subnet_group_name for databases,
#     subnets for load balancers (in CloudFormation: VpcId, SubnetId,
#     DBSubnetGroupName, Subnets). Delete the default VPC in each region you use,
#     and manage the default security group only to remove all its rules:
#
#       resource "aws_default_security_group" "default" {
#         vpc_id = aws_vpc.main.id
#         # no ingress or egress blocks: Terraform removes every rule
#       }
#   resource_types:
#     - aws_default_vpc
#     - aws_default_subnet
#     - aws_default_security_group
#     - aws_security_group_rule
#     - aws_vpc_security_group_ingress_rule
#     - aws_vpc_security_group_egress_rule
#     - aws_security_group
#     - aws_instance
#     - aws_db_instance
#     - aws_lb
#     - aws_alb
#     - aws_elb
#     - AWS::EC2::SecurityGroup
#     - AWS::EC2::Instance
#     - AWS::RDS::DBInstance
#     - AWS::ElasticLoadBalancingV2::LoadBalancer
#     - AWS::ElasticLoadBalancing::LoadBalancer
package portcullis.aws.ec2.default_vpc

import data.portcullis.lib.network

# ---------------------------------------------------------------------------
# The default VPC and default subnets declared

_adopted := {
	"aws_default_vpc": "manages the account's default VPC, which keeps it in use; its subnets are public by default. Delete the default VPC and use a dedicated one",
	"aws_default_subnet": "manages a default subnet of the default VPC, which keeps it in use; default subnets assign public IP addresses. Use subnets of a dedicated VPC",
}

deny contains finding if {
	some address, res in network.managed_resources
	reason := _adopted[res.type]
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("%s %s", [address, reason]),
	}
}

# ---------------------------------------------------------------------------
# Rules on a default security group

deny contains finding if {
	some rule in network.rules
	rule.resource_type == "aws_default_security_group"
	finding := {
		"resource": rule.resource,
		"attribute": rule.path,
		"message": sprintf(
			"Default security group %s has an %s rule (%s); the default security group must allow no traffic, so that resources attached to it by default are isolated",
			[rule.resource, _direction(rule), rule.path],
		),
	}
}

deny contains finding if {
	some rule in network.rules
	rule.path == ""
	input.resources[rule.group].type == "aws_default_security_group"
	finding := {
		"resource": rule.resource,
		"attribute": rule.group_attribute,
		"message": sprintf(
			"%s adds an %s rule to the default security group %s; the default security group must allow no traffic, so that resources attached to it by default are isolated",
			[rule.resource, _direction(rule), rule.group],
		),
	}
}

_direction(rule) := rule.direction if rule.direction != ""

_direction(rule) := "ingress or egress" if rule.direction == ""

# ---------------------------------------------------------------------------
# Resources that name no network

# _placement: type -> {any: attributes of which one places the resource in a
# network, exempt: attributes that make the placement come from elsewhere,
# what: how AWS places it when none is set}.
_placement := {
	"aws_security_group": {
		"any": ["vpc_id"],
		"exempt": [],
		"what": ", so AWS creates the security group in the default VPC",
	},
	"aws_instance": {
		"any": ["subnet_id", "network_interface"],
		"exempt": ["launch_template"],
		"what": " and uses no launch template, so AWS launches it in a default subnet of the default VPC",
	},
	"aws_db_instance": {
		"any": ["db_subnet_group_name"],
		"exempt": ["replicate_source_db"],
		"what": " and is not a read replica, so AWS places it in the default DB subnet group, in the default VPC",
	},
	"aws_lb": {
		"any": ["subnets", "subnet_mapping"],
		"exempt": [],
		"what": ", so the load balancer can only be placed in the default VPC",
	},
	"aws_alb": {
		"any": ["subnets", "subnet_mapping"],
		"exempt": [],
		"what": ", so the load balancer can only be placed in the default VPC",
	},
	"aws_elb": {
		"any": ["subnets"],
		"exempt": [],
		"what": ", so AWS creates the classic load balancer in the default VPC",
	},
	"AWS::EC2::SecurityGroup": {
		"any": ["VpcId"],
		"exempt": [],
		"what": ", so AWS creates the security group in the default VPC",
	},
	"AWS::EC2::Instance": {
		"any": ["SubnetId", "NetworkInterfaces"],
		"exempt": ["LaunchTemplate"],
		"what": " and uses no launch template, so AWS launches it in a default subnet of the default VPC",
	},
	"AWS::RDS::DBInstance": {
		"any": ["DBSubnetGroupName"],
		"exempt": ["SourceDBInstanceIdentifier", "DBClusterIdentifier"],
		"what": " and is neither a read replica nor a cluster member, so AWS places it in the default DB subnet group, in the default VPC",
	},
	"AWS::ElasticLoadBalancingV2::LoadBalancer": {
		"any": ["Subnets", "SubnetMappings"],
		"exempt": [],
		"what": ", so the load balancer can only be placed in the default VPC",
	},
	"AWS::ElasticLoadBalancing::LoadBalancer": {
		"any": ["Subnets"],
		"exempt": [],
		"what": ", so AWS creates the classic load balancer in the default VPC",
	},
}

deny contains finding if {
	some address, res in network.managed_resources
	spec := _placement[res.type]
	not _any_set(res, spec.any)
	not _any_set(res, spec.exempt)
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("%s sets %s%s", [address, _none_of(spec.any), spec.what]),
	}
}

_none_of(attrs) := sprintf("no %s", attrs) if count(attrs) == 1

_none_of(attrs) := sprintf("neither %s nor %s", attrs) if count(attrs) == 2

# _any_set(res, attrs) is true when one of attrs is set: a known non-empty
# value, a value unknown statically, or an attribute with a reference edge.
_any_set(res, attrs) if {
	some attr in attrs
	_set(res, attr)
}

_set(res, attr) if {
	v := object.get(res, ["values", attr], null)
	not v in {null, "", [], {}}
}

_set(res, attr) if network.is_unknown(object.get(res, "unknown", {}), [attr])

_set(res, attr) if {
	some ref in object.get(res, "references", [])
	_within(ref.attribute, attr)
}

_within(p, attr) if p == attr

_within(p, attr) if startswith(p, concat("", [attr, "."]))

# ---------------------------------------------------------------------------
# Resources placed in the default VPC through a reference

# _placement_attributes are the attribute names (the last non-index segment of
# a path) that put a resource into a VPC or subnet.
_placement_attributes := {"vpc_id", "subnet_id", "subnet_ids", "subnets", "vpc_zone_identifier"}

# _exempt_referrers monitor or lock down the default network rather than use it.
_exempt_referrers := {
	"aws_flow_log",
	"aws_default_vpc",
	"aws_default_subnet",
	"aws_default_security_group",
	"aws_default_network_acl",
	"aws_default_route_table",
	"aws_default_vpc_dhcp_options",
}

deny contains finding if {
	some address, res in network.managed_resources
	not res.type in _exempt_referrers
	some ref in object.get(res, "references", [])
	_last_name(ref.attribute) in _placement_attributes
	why := _default_network(ref.target)
	finding := {
		"resource": address,
		"attribute": ref.attribute,
		"message": sprintf("%s is placed in the default VPC: %s references %s", [address, ref.attribute, why]),
	}
}

_last_name(p) := name if {
	names := [s | some s in split(p, "."); not regex.match(`^[0-9]+$`, s)]
	count(names) > 0
	name := names[count(names) - 1]
}

# _default_network(address) explains why the resource at address is the
# default VPC or a default subnet; undefined otherwise. Edges are followed, and
# resource names are never looked at.
_default_network(address) := why if {
	why := _default_direct(address)
} else := why if {
	target := input.resources[address]
	object.get(target, "mode", "") == "data"
	target.type in {"aws_subnet", "aws_subnets", "aws_subnet_ids"}
	inner := {reason |
		some ref in object.get(target, "references", [])
		reason := _default_direct(ref.target)
	}
	count(inner) > 0
	why := sprintf("%s, which looks up subnets of %s", [address, min(inner)])
}

_default_direct(address) := sprintf("%s, the default VPC", [address]) if {
	input.resources[address].type == "aws_default_vpc"
	object.get(input.resources[address], "mode", "managed") == "managed"
}

_default_direct(address) := sprintf("%s, a default subnet of the default VPC", [address]) if {
	input.resources[address].type == "aws_default_subnet"
	object.get(input.resources[address], "mode", "managed") == "managed"
}

_default_direct(address) := sprintf("%s, which looks up the default VPC (%s)", [address, how]) if {
	target := input.resources[address]
	target.mode == "data"
	target.type == "aws_vpc"
	how := _lookup(target, "default", "isDefault")
}

_default_direct(address) := sprintf("%s, which looks up a default subnet (%s)", [address, how]) if {
	target := input.resources[address]
	target.mode == "data"
	target.type == "aws_subnet"
	how := _lookup(target, "default_for_az", "default-for-az")
}

# _lookup(target, argument, filter) says how a data source selects a default
# network: the boolean argument set to true, or else a filter on the EC2 API
# field filter whose only value is "true".
_lookup(target, argument, filter) := sprintf("%s = true", [argument]) if {
	object.get(target, ["values", argument], false) == true
} else := sprintf("filter %s = true", [filter]) if {
	some f in object.get(target, ["values", "filter"], [])
	f.name == filter
	is_array(f.values)
	count(f.values) > 0
	every v in f.values {
		lower(sprintf("%v", [v])) == "true"
	}
}

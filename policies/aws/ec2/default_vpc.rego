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
#   - Resources that name no network and therefore land in the default VPC
#     (AWS places them in the default subnets, the default DB, cache or cluster
#     subnet group, which live in the default VPC):
#     - aws_security_group without vpc_id;
#     - aws_instance without subnet_id and network_interface, unless it uses a
#       launch template; one whose launch template is an aws_launch_template of
#       the configuration (followed through the reference edge) that names no
#       subnet_id or network_interface_id in network_interfaces is reported;
#     - aws_autoscaling_group without vpc_zone_identifier (one given only
#       availability_zones launches into the default subnet of each zone),
#       unless a launch template it references through an edge names the
#       network in network_interfaces;
#     - aws_db_instance without db_subnet_group_name (unless it is a read
#       replica, which inherits its source's subnet group); aws_rds_cluster and
#       aws_docdb_cluster without db_subnet_group_name; aws_neptune_cluster
#       without neptune_subnet_group_name (the instances of these clusters,
#       aws_rds_cluster_instance, aws_docdb_cluster_instance and
#       aws_neptune_cluster_instance, inherit the cluster's network and are not
#       reported);
#     - aws_elasticache_cluster without subnet_group_name (unless it is a
#       member of a replication group), aws_elasticache_replication_group
#       without subnet_group_name, aws_elasticache_serverless_cache without
#       subnet_ids;
#     - aws_redshift_cluster without cluster_subnet_group_name;
#     - aws_mq_broker without subnet_ids, except a publicly accessible
#       RabbitMQ broker (or one whose engine or accessibility is unknown),
#       which is not placed in any VPC of the account;
#     - aws_lb/aws_alb without subnets and subnet_mapping; aws_elb without
#       subnets (one given only availability_zones is created in the default
#       VPC);
#     - the CloudFormation equivalents: AWS::EC2::SecurityGroup without VpcId;
#       AWS::EC2::Instance without SubnetId and NetworkInterfaces (with a
#       LaunchTemplate: only when it references an AWS::EC2::LaunchTemplate of
#       the template that names no SubnetId or NetworkInterfaceId);
#       AWS::AutoScaling::AutoScalingGroup without VPCZoneIdentifier;
#       AWS::RDS::DBInstance without DBSubnetGroupName that is neither a replica
#       nor an Aurora cluster member; AWS::RDS::DBCluster,
#       AWS::Neptune::DBCluster and AWS::DocDB::DBCluster without
#       DBSubnetGroupName; AWS::ElastiCache::CacheCluster and
#       AWS::ElastiCache::ReplicationGroup without CacheSubnetGroupName;
#       AWS::ElastiCache::ServerlessCache without SubnetIds;
#       AWS::Redshift::Cluster without ClusterSubnetGroupName;
#       AWS::AmazonMQ::Broker without SubnetIds (same RabbitMQ exemption);
#       AWS::ElasticLoadBalancingV2::LoadBalancer without Subnets and
#       SubnetMappings; AWS::ElasticLoadBalancing::LoadBalancer without Subnets.
#     Not reported: aws_lambda_function without vpc_config runs in an
#     AWS-managed network, not in the default VPC; aws_opensearch_domain and
#     aws_elasticsearch_domain without vpc_options get a public endpoint, not a
#     default VPC placement (a different problem); aws_launch_template alone,
#     since a template without a subnet is the normal form for an Auto Scaling
#     group that supplies its subnets.
#   - Resources placed in the default VPC explicitly: a vpc_id, subnet_id,
#     subnet_ids, subnets or vpc_zone_identifier attribute (at any depth) whose
#     reference edge leads to aws_default_vpc, aws_default_subnet, a data.aws_vpc
#     that looks up the default VPC (default = true or an isDefault filter), a
#     data.aws_subnet that looks up a default subnet (default_for_az = true or a
#     default-for-az filter), or a subnet lookup (data.aws_subnet, aws_subnets,
#     aws_subnet_ids) filtered on one of those VPCs. aws_flow_log and the
#     aws_default_* resources are exempt: they monitor or lock down the default
#     network rather than use it.
#   An attribute that is set to a value unknown statically (or a CloudFormation
#   resource whose Properties as a whole are unknown) counts as set: only a
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
#     groups, subnet_id for instances, vpc_zone_identifier for Auto Scaling
#     groups, a subnet group for databases, caches, Redshift and Neptune,
#     subnet_ids for brokers and subnets for load balancers (in CloudFormation:
#     VpcId, SubnetId, VPCZoneIdentifier, DBSubnetGroupName,
#     CacheSubnetGroupName, ClusterSubnetGroupName, SubnetIds, Subnets). Delete
#     the default VPC in each region you use, and manage the default security
#     group only to remove all its rules.
#
#     ```hcl
#     resource "aws_db_subnet_group" "orders" {
#       name       = "orders"
#       subnet_ids = aws_subnet.private[*].id
#     }
#
#     resource "aws_rds_cluster" "orders" {
#       cluster_identifier   = "orders"
#       engine               = "aurora-postgresql"
#       db_subnet_group_name = aws_db_subnet_group.orders.name
#       # ...
#     }
#
#     resource "aws_default_security_group" "default" {
#       vpc_id = aws_vpc.main.id
#       # no ingress or egress blocks: Terraform removes every rule
#     }
#     ```
#
#     ```yaml
#     OrdersSubnetGroup:
#       Type: AWS::RDS::DBSubnetGroup
#       Properties:
#         DBSubnetGroupDescription: Private subnets of the orders database
#         SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
#     OrdersCluster:
#       Type: AWS::RDS::DBCluster
#       Properties:
#         Engine: aurora-postgresql
#         DBSubnetGroupName: !Ref OrdersSubnetGroup
#     ```
#   resource_types:
#     - aws_default_vpc
#     - aws_default_subnet
#     - aws_default_security_group
#     - aws_security_group_rule
#     - aws_vpc_security_group_ingress_rule
#     - aws_vpc_security_group_egress_rule
#     - aws_security_group
#     - aws_instance
#     - aws_launch_template
#     - aws_autoscaling_group
#     - aws_db_instance
#     - aws_rds_cluster
#     - aws_docdb_cluster
#     - aws_neptune_cluster
#     - aws_elasticache_cluster
#     - aws_elasticache_replication_group
#     - aws_elasticache_serverless_cache
#     - aws_redshift_cluster
#     - aws_mq_broker
#     - aws_lb
#     - aws_alb
#     - aws_elb
#     - aws_db_subnet_group
#     - aws_lambda_function
#     - aws_vpc
#     - aws_subnet
#     - aws_subnets
#     - aws_subnet_ids
#     - AWS::EC2::SecurityGroup
#     - AWS::EC2::Instance
#     - AWS::EC2::LaunchTemplate
#     - AWS::AutoScaling::AutoScalingGroup
#     - AWS::RDS::DBInstance
#     - AWS::RDS::DBCluster
#     - AWS::Neptune::DBCluster
#     - AWS::DocDB::DBCluster
#     - AWS::ElastiCache::CacheCluster
#     - AWS::ElastiCache::ReplicationGroup
#     - AWS::ElastiCache::ServerlessCache
#     - AWS::Redshift::Cluster
#     - AWS::AmazonMQ::Broker
#     - AWS::ElasticLoadBalancingV2::LoadBalancer
#     - AWS::ElasticLoadBalancing::LoadBalancer
package portcullis.aws.ec2.default_vpc

import data.portcullis.lib.network
import data.portcullis.lib.resource

# ---------------------------------------------------------------------------
# The default VPC and default subnets declared

_adopted := {
	"aws_default_vpc": "manages the account's default VPC, which keeps it in use; its subnets are public by default. Delete the default VPC and use a dedicated one",
	"aws_default_subnet": "manages a default subnet of the default VPC, which keeps it in use; default subnets assign public IP addresses. Use subnets of a dedicated VPC",
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_adopted))
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("%s %s", [address, _adopted[res.type]]),
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

# A standalone rule on a default security group (rule.protects is the group
# its protects_attribute edge leads to).
deny contains finding if {
	some rule in network.rules
	rule.path == ""
	input.resources[rule.protects].type == "aws_default_security_group"
	finding := {
		"resource": rule.resource,
		"attribute": rule.protects_attribute,
		"message": sprintf(
			"%s adds an %s rule to the default security group %s; the default security group must allow no traffic, so that resources attached to it by default are isolated",
			[rule.resource, _direction(rule), rule.protects],
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
	"aws_autoscaling_group": {
		"any": ["vpc_zone_identifier"],
		"exempt": [],
		"what": ", so AWS launches its instances in the default subnets of its availability zones, in the default VPC",
	},
	"aws_db_instance": {
		"any": ["db_subnet_group_name"],
		"exempt": ["replicate_source_db"],
		"what": " and is not a read replica, so AWS places it in the default DB subnet group, in the default VPC",
	},
	"aws_rds_cluster": {
		"any": ["db_subnet_group_name"],
		"exempt": [],
		"what": ", so AWS places the cluster in the default DB subnet group, in the default VPC",
	},
	"aws_docdb_cluster": {
		"any": ["db_subnet_group_name"],
		"exempt": [],
		"what": ", so AWS places the cluster in the default DB subnet group, in the default VPC",
	},
	"aws_neptune_cluster": {
		"any": ["neptune_subnet_group_name"],
		"exempt": [],
		"what": ", so AWS places the cluster in the default DB subnet group, in the default VPC",
	},
	"aws_elasticache_cluster": {
		"any": ["subnet_group_name"],
		"exempt": ["replication_group_id"],
		"what": " and is not a member of a replication group, so AWS places it in the default cache subnet group, in the default VPC",
	},
	"aws_elasticache_replication_group": {
		"any": ["subnet_group_name"],
		"exempt": [],
		"what": ", so AWS places it in the default cache subnet group, in the default VPC",
	},
	"aws_elasticache_serverless_cache": {
		"any": ["subnet_ids"],
		"exempt": [],
		"what": ", so AWS places the cache in default subnets of the default VPC",
	},
	"aws_redshift_cluster": {
		"any": ["cluster_subnet_group_name"],
		"exempt": [],
		"what": ", so AWS places the cluster in the default cluster subnet group, in the default VPC",
	},
	"aws_mq_broker": {
		"any": ["subnet_ids"],
		"exempt": [],
		"what": " and is not a public RabbitMQ broker, so AWS places it in default subnets of the default VPC",
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
	"AWS::AutoScaling::AutoScalingGroup": {
		"any": ["VPCZoneIdentifier"],
		"exempt": [],
		"what": ", so AWS launches its instances in the default subnets of its availability zones, in the default VPC",
	},
	"AWS::RDS::DBInstance": {
		"any": ["DBSubnetGroupName"],
		"exempt": ["SourceDBInstanceIdentifier", "DBClusterIdentifier"],
		"what": " and is neither a read replica nor a cluster member, so AWS places it in the default DB subnet group, in the default VPC",
	},
	"AWS::RDS::DBCluster": {
		"any": ["DBSubnetGroupName"],
		"exempt": [],
		"what": ", so AWS places the cluster in the default DB subnet group, in the default VPC",
	},
	"AWS::Neptune::DBCluster": {
		"any": ["DBSubnetGroupName"],
		"exempt": [],
		"what": ", so AWS places the cluster in the default DB subnet group, in the default VPC",
	},
	"AWS::DocDB::DBCluster": {
		"any": ["DBSubnetGroupName"],
		"exempt": [],
		"what": ", so AWS places the cluster in the default DB subnet group, in the default VPC",
	},
	"AWS::ElastiCache::CacheCluster": {
		"any": ["CacheSubnetGroupName"],
		"exempt": [],
		"what": ", so AWS places it in the default cache subnet group, in the default VPC",
	},
	"AWS::ElastiCache::ReplicationGroup": {
		"any": ["CacheSubnetGroupName"],
		"exempt": [],
		"what": ", so AWS places it in the default cache subnet group, in the default VPC",
	},
	"AWS::ElastiCache::ServerlessCache": {
		"any": ["SubnetIds"],
		"exempt": [],
		"what": ", so AWS places the cache in default subnets of the default VPC",
	},
	"AWS::Redshift::Cluster": {
		"any": ["ClusterSubnetGroupName"],
		"exempt": [],
		"what": ", so AWS places the cluster in the default cluster subnet group, in the default VPC",
	},
	"AWS::AmazonMQ::Broker": {
		"any": ["SubnetIds"],
		"exempt": [],
		"what": " and is not a public RabbitMQ broker, so AWS places it in default subnets of the default VPC",
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
	some address, res in resource.of_types(object.keys(_placement))
	spec := _placement[res.type]
	_unplaced(res, spec)
	not _any_set(res, spec.exempt)
	not _placed_elsewhere(res)
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("%s sets %s%s", [address, _none_of(spec.any), spec.what]),
	}
}

# An instance whose launch template (followed through its edge) names no
# network either.
_template_attribute := {"aws_instance": "launch_template", "AWS::EC2::Instance": "LaunchTemplate"}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_template_attribute))
	spec := _placement[res.type]
	_unplaced(res, spec)
	templates := resource.targets(res, _template_attribute[res.type])
	count(templates) > 0
	every t in templates {
		_template_without_network(t)
	}
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf(
			"%s sets %s and its launch template %s names no subnet or network interface, so AWS launches it in a default subnet of the default VPC",
			[address, _none_of(spec.any), concat(", ", sort(templates))],
		),
	}
}

# _unplaced(res, spec) is true when none of the placing attributes is set and
# the resource's properties are not unknown as a whole.
_unplaced(res, spec) if {
	not _any_set(res, spec.any)
	not resource.properties_unknown(res)
}

_none_of(attrs) := sprintf("no %s", attrs) if count(attrs) == 1

_none_of(attrs) := sprintf("neither %s nor %s", attrs) if count(attrs) == 2

# _any_set(res, attrs) is true when one of attrs is set: a known non-empty
# value, a value unknown statically, or an attribute with a reference edge.
_any_set(res, attrs) if {
	some attr in attrs
	resource.set(res, attr)
}

# _placed_elsewhere(res) is true when a resource without its own network
# attribute gets one from elsewhere.

# An Auto Scaling group whose launch template (followed through an edge) names
# the network.
_placed_elsewhere(res) if {
	res.type in {"aws_autoscaling_group", "AWS::AutoScaling::AutoScalingGroup"}
	some ref in object.get(res, "references", [])
	_template_network[ref.target]
}

# A broker that may be a publicly accessible RabbitMQ broker: AWS does not
# place those in a VPC of the account.
_placed_elsewhere(res) if {
	fields := _broker_fields[res.type]
	_may_be(res, fields.engine, "rabbitmq")
	_may_be_true(res, fields.public)
}

_broker_fields := {
	"aws_mq_broker": {"engine": "engine_type", "public": "publicly_accessible"},
	"AWS::AmazonMQ::Broker": {"engine": "EngineType", "public": "PubliclyAccessible"},
}

# _may_be(res, attr, want) is true when attribute attr is want (case aside)
# or cannot be known.
_may_be(res, attr, want) if lower(sprintf("%v", [resource.value(res, [attr])])) == want

_may_be(res, attr, _) if _not_known(res, attr)

_may_be_true(res, attr) if resource.is_true(res, [attr])

_may_be_true(res, attr) if _not_known(res, attr)

_not_known(res, attr) if resource.unknown(res, [attr])

_not_known(res, attr) if {
	resource.value(res, [attr]) == null
	some ref in object.get(res, "references", [])
	resource.within(ref.attribute, attr)
}

# ---------------------------------------------------------------------------
# Launch templates

# _template_forms: launch template type -> where its network interfaces are
# and which of their attributes name the network.
_template_forms := {
	"aws_launch_template": {
		"interfaces": ["network_interfaces"],
		"network": ["subnet_id", "network_interface_id"],
	},
	"AWS::EC2::LaunchTemplate": {
		"interfaces": ["LaunchTemplateData", "NetworkInterfaces"],
		"network": ["SubnetId", "NetworkInterfaceId"],
	},
}

# _template_network are the managed launch templates that name a subnet or an
# existing network interface (or may, because a value is unknown).
_template_network := {address |
	some address, lt in resource.of_types(object.keys(_template_forms))
	_names_network(lt, _template_forms[lt.type])
}

_names_network(lt, _) if resource.properties_unknown(lt)

_names_network(lt, form) if resource.unknown(lt, form.interfaces)

_names_network(lt, form) if {
	some i, _ in resource.value(lt, form.interfaces)
	some attr in form.network
	_nested_set(lt, array.concat(form.interfaces, [i, attr]))
}

# _nested_set(res, segments) is resource.set for a nested attribute.
_nested_set(res, segments) if not resource.value(res, segments) in {null, "", [], {}}

_nested_set(res, segments) if resource.unknown(res, segments)

_nested_set(res, segments) if {
	p := resource.path(segments)
	some ref in object.get(res, "references", [])
	resource.within(ref.attribute, p)
}

# _template_without_network(address) is true for a managed launch template of
# the configuration that names no network.
_template_without_network(address) if {
	lt := resource.managed[address]
	_template_forms[lt.type]
	not _template_network[address]
}

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
	some address, res in resource.managed
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

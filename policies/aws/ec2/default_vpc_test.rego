package portcullis.aws.ec2.default_vpc_test

import data.portcullis.aws.ec2.default_vpc
import data.portcullis.lib.mock_test as mock

# _with_refs adds reference edges; a top-level referring attribute is marked
# unknown (nested ones are given their unknown shape by the test).
_with_refs(res, refs) := object.union(res, {
	"unknown": {r.attribute: true | some r in refs; not contains(r.attribute, ".")},
	"references": refs,
})

_default_vpc_lookup := mock.data_source("aws_vpc", "selected", {"default": true})

_main_vpc := mock.resource("aws_vpc", "main", {"cidr_block": "10.0.0.0/16"})

_sg_in(vpc) := _with_refs(
	mock.resource("aws_security_group", "web", {"name": "web", "description": "web"}),
	[mock.ref("vpc_id", vpc)],
)

_isolation := "the default security group must allow no traffic, so that resources attached to it by default are isolated"

# ---------------------------------------------------------------------------
# Default VPC and subnets declared

test_default_vpc_and_subnet_are_reported if {
	vpc := mock.resource("aws_default_vpc", "this", {"enable_dns_hostnames": true})
	subnet := mock.resource("aws_default_subnet", "a", {"availability_zone": "eu-west-1a"})
	default_vpc.deny == {
		{
			"resource": "aws_default_vpc.this",
			"attribute": "",
			"message": "aws_default_vpc.this manages the account's default VPC, which keeps it in use; its subnets are public by default. Delete the default VPC and use a dedicated one",
		},
		{
			"resource": "aws_default_subnet.a",
			"attribute": "",
			"message": "aws_default_subnet.a manages a default subnet of the default VPC, which keeps it in use; default subnets assign public IP addresses. Use subnets of a dedicated VPC",
		},
	} with input as mock.doc([vpc, subnet])
}

# ---------------------------------------------------------------------------
# Default security group

test_ruleless_default_security_group_passes if {
	sg := _with_refs(mock.resource("aws_default_security_group", "default", {}), [mock.ref("vpc_id", "aws_vpc.main")])
	empty := mock.resource("aws_default_security_group", "empty", {"ingress": [], "egress": []})
	count(default_vpc.deny) == 0 with input as mock.doc([_main_vpc, sg, empty])
}

test_default_security_group_with_rules_is_reported if {
	sg := _with_refs(
		mock.resource("aws_default_security_group", "default", {
			"ingress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "self": true}],
			"egress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]}],
		}),
		[mock.ref("vpc_id", "aws_vpc.main")],
	)
	default_vpc.deny == {
		{
			"resource": "aws_default_security_group.default",
			"attribute": "ingress.0",
			"message": sprintf("Default security group aws_default_security_group.default has an ingress rule (ingress.0); %s", [_isolation]),
		},
		{
			"resource": "aws_default_security_group.default",
			"attribute": "egress.0",
			"message": sprintf("Default security group aws_default_security_group.default has an egress rule (egress.0); %s", [_isolation]),
		},
	} with input as mock.doc([_main_vpc, sg])
}

test_standalone_rules_on_default_security_group_are_reported if {
	sg := mock.resource("aws_default_security_group", "default", {})
	rule := _with_refs(
		mock.resource("aws_security_group_rule", "ssh", {"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}),
		[mock.ref("security_group_id", "aws_default_security_group.default")],
	)
	out := _with_refs(
		mock.resource("aws_vpc_security_group_egress_rule", "out", {"ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"}),
		[mock.ref("security_group_id", "aws_default_security_group.default")],
	)
	other := _with_refs(
		mock.resource("aws_security_group_rule", "other", {"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}),
		[mock.ref("security_group_id", "aws_security_group.web")],
	)
	default_vpc.deny == {
		{
			"resource": "aws_security_group_rule.ssh",
			"attribute": "security_group_id",
			"message": sprintf("aws_security_group_rule.ssh adds an ingress rule to the default security group aws_default_security_group.default; %s", [_isolation]),
		},
		{
			"resource": "aws_vpc_security_group_egress_rule.out",
			"attribute": "security_group_id",
			"message": sprintf("aws_vpc_security_group_egress_rule.out adds an egress rule to the default security group aws_default_security_group.default; %s", [_isolation]),
		},
	} with input as mock.doc([_main_vpc, _sg_in("aws_vpc.main"), sg, rule, out, other])
}

# ---------------------------------------------------------------------------
# Security groups

test_security_group_without_vpc_is_reported if {
	sg := mock.resource("aws_security_group", "web", {"name": "web", "description": "web"})
	default_vpc.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "",
		"message": "aws_security_group.web sets no vpc_id, so AWS creates the security group in the default VPC",
	}} with input as mock.doc([sg])
}

test_security_group_with_empty_vpc_is_reported if {
	sg := mock.resource("aws_security_group", "web", {"vpc_id": ""})
	default_vpc.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "",
		"message": "aws_security_group.web sets no vpc_id, so AWS creates the security group in the default VPC",
	}} with input as mock.doc([sg])
}

test_security_group_with_vpc_passes if {
	count(default_vpc.deny) == 0 with input as mock.doc([mock.resource("aws_security_group", "web", {"vpc_id": "vpc-0123"})])
	count(default_vpc.deny) == 0 with input as mock.doc([_main_vpc, _sg_in("aws_vpc.main")])
}

test_security_group_with_unknown_vpc_passes if {
	sg := object.union(mock.resource("aws_security_group", "web", {"name": "web"}), {"unknown": {"vpc_id": true}})
	count(default_vpc.deny) == 0 with input as mock.doc([sg])
}

test_security_group_in_default_vpc_lookup_is_reported if {
	default_vpc.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "vpc_id",
		"message": "aws_security_group.web is placed in the default VPC: vpc_id references data.aws_vpc.selected, which looks up the default VPC (default = true)",
	}} with input as mock.doc([_default_vpc_lookup, _sg_in("data.aws_vpc.selected")])
}

test_default_vpc_lookup_by_filter_is_reported if {
	lookup := mock.data_source("aws_vpc", "selected", {"filter": [{"name": "isDefault", "values": ["true"]}]})
	default_vpc.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "vpc_id",
		"message": "aws_security_group.web is placed in the default VPC: vpc_id references data.aws_vpc.selected, which looks up the default VPC (filter isDefault = true)",
	}} with input as mock.doc([lookup, _sg_in("data.aws_vpc.selected")])
}

# A filter whose values is not a list selects nothing (and is no error).
test_default_vpc_lookup_by_filter_values_not_a_list_is_not_reported if {
	lookup := mock.data_source("aws_vpc", "selected", {"filter": [{"name": "isDefault", "values": 5}]})
	count(default_vpc.deny) == 0 with input as mock.doc([lookup, _sg_in("data.aws_vpc.selected")])
}

test_security_group_in_adopted_default_vpc_is_reported if {
	vpc := mock.resource("aws_default_vpc", "this", {})
	default_vpc.deny == {
		{
			"resource": "aws_default_vpc.this",
			"attribute": "",
			"message": "aws_default_vpc.this manages the account's default VPC, which keeps it in use; its subnets are public by default. Delete the default VPC and use a dedicated one",
		},
		{
			"resource": "aws_security_group.web",
			"attribute": "vpc_id",
			"message": "aws_security_group.web is placed in the default VPC: vpc_id references aws_default_vpc.this, the default VPC",
		},
	} with input as mock.doc([vpc, _sg_in("aws_default_vpc.this")])
}

test_names_are_never_matched if {
	# A VPC lookup called "default" that does not select the default VPC, and a
	# custom VPC called "default".
	lookup := mock.data_source("aws_vpc", "default", {"tags": {"Name": "default"}})
	vpc := mock.resource("aws_vpc", "default", {"cidr_block": "10.0.0.0/16"})
	sg1 := _with_refs(mock.resource("aws_security_group", "a", {}), [mock.ref("vpc_id", "data.aws_vpc.default")])
	sg2 := _with_refs(mock.resource("aws_security_group", "b", {}), [mock.ref("vpc_id", "aws_vpc.default")])
	count(default_vpc.deny) == 0 with input as mock.doc([lookup, vpc, sg1, sg2])
}

test_flow_log_on_default_vpc_is_exempt if {
	lookup := _default_vpc_lookup
	flow_log := _with_refs(mock.resource("aws_flow_log", "default", {"traffic_type": "ALL"}), [mock.ref("vpc_id", "data.aws_vpc.selected")])
	count(default_vpc.deny) == 0 with input as mock.doc([lookup, flow_log])
}

test_other_references_to_default_vpc_are_not_placement if {
	rule := object.union(
		mock.resource("aws_security_group_rule", "from_default", {"type": "ingress", "from_port": 443, "to_port": 443, "protocol": "tcp", "description": "x"}),
		{
			"unknown": {"cidr_blocks": true, "security_group_id": true},
			"references": [
				{"attribute": "cidr_blocks", "target": "data.aws_vpc.selected", "target_attribute": "cidr_block"},
				mock.ref("security_group_id", "aws_security_group.web"),
			],
		},
	)
	sg := mock.resource("aws_security_group", "web", {"vpc_id": "vpc-1"})
	count(default_vpc.deny) == 0 with input as mock.doc([_default_vpc_lookup, sg, rule])
}

test_data_sources_are_not_reported if {
	sg := mock.data_source("aws_security_group", "existing", {"name": "legacy"})
	count(default_vpc.deny) == 0 with input as mock.doc([sg])
}

# ---------------------------------------------------------------------------
# Instances

test_instance_without_subnet_is_reported if {
	instance := mock.resource("aws_instance", "app", {"ami": "ami-1", "instance_type": "t3.micro"})
	default_vpc.deny == {{
		"resource": "aws_instance.app",
		"attribute": "",
		"message": "aws_instance.app sets neither subnet_id nor network_interface and uses no launch template, so AWS launches it in a default subnet of the default VPC",
	}} with input as mock.doc([instance])
}

test_instance_with_network_passes if {
	with_subnet := mock.resource("aws_instance", "a", {"subnet_id": "subnet-1"})
	with_eni := mock.resource("aws_instance", "b", {"network_interface": [{"network_interface_id": "eni-1", "device_index": 0}]})
	with_template := mock.resource("aws_instance", "c", {"launch_template": [{"id": "lt-1"}]})
	unknown_subnet := object.union(mock.resource("aws_instance", "d", {}), {"unknown": {"subnet_id": true}})
	count(default_vpc.deny) == 0 with input as mock.doc([with_subnet, with_eni, with_template, unknown_subnet])
}

test_instance_in_default_subnet_is_reported if {
	subnet := mock.data_source("aws_subnet", "az_a", {"availability_zone": "eu-west-1a", "default_for_az": true})
	instance := _with_refs(mock.resource("aws_instance", "app", {"ami": "ami-1"}), [mock.ref("subnet_id", "data.aws_subnet.az_a")])
	default_vpc.deny == {{
		"resource": "aws_instance.app",
		"attribute": "subnet_id",
		"message": "aws_instance.app is placed in the default VPC: subnet_id references data.aws_subnet.az_a, which looks up a default subnet (default_for_az = true)",
	}} with input as mock.doc([subnet, instance])
}

test_instance_in_subnet_lookup_of_default_vpc_is_reported if {
	subnets := object.union(
		_with_refs(
			mock.data_source("aws_subnets", "default", {"filter": [{"name": "vpc-id", "values": [null]}]}),
			[mock.ref("filter.0.values", "data.aws_vpc.selected")],
		),
		{"unknown": {"filter": [{"values": [true]}]}},
	)
	instance := _with_refs(
		mock.resource("aws_instance", "app", {}),
		[{"attribute": "subnet_id", "target": "data.aws_subnets.default", "target_attribute": "ids"}],
	)
	default_vpc.deny == {{
		"resource": "aws_instance.app",
		"attribute": "subnet_id",
		"message": "aws_instance.app is placed in the default VPC: subnet_id references data.aws_subnets.default, which looks up subnets of data.aws_vpc.selected, which looks up the default VPC (default = true)",
	}} with input as mock.doc([_default_vpc_lookup, subnets, instance])
}

# ---------------------------------------------------------------------------
# Databases

test_db_instance_without_subnet_group_is_reported if {
	db := mock.resource("aws_db_instance", "main", {"engine": "postgres", "instance_class": "db.t3.micro"})
	default_vpc.deny == {{
		"resource": "aws_db_instance.main",
		"attribute": "",
		"message": "aws_db_instance.main sets no db_subnet_group_name and is not a read replica, so AWS places it in the default DB subnet group, in the default VPC",
	}} with input as mock.doc([db])
}

test_db_instance_with_subnet_group_or_replica_passes if {
	grouped := _with_refs(mock.resource("aws_db_instance", "main", {"engine": "postgres"}), [{"attribute": "db_subnet_group_name", "target": "aws_db_subnet_group.main", "target_attribute": "name"}])
	replica := _with_refs(mock.resource("aws_db_instance", "replica", {}), [{"attribute": "replicate_source_db", "target": "aws_db_instance.main", "target_attribute": "identifier"}])
	count(default_vpc.deny) == 0 with input as mock.doc([grouped, replica])
}

test_db_subnet_group_of_default_subnets_is_reported if {
	subnet := mock.resource("aws_default_subnet", "a", {"availability_zone": "eu-west-1a"})
	group := _with_refs(mock.resource("aws_db_subnet_group", "main", {"name": "main"}), [mock.ref("subnet_ids", "aws_default_subnet.a")])
	default_vpc.deny == {
		{
			"resource": "aws_default_subnet.a",
			"attribute": "",
			"message": "aws_default_subnet.a manages a default subnet of the default VPC, which keeps it in use; default subnets assign public IP addresses. Use subnets of a dedicated VPC",
		},
		{
			"resource": "aws_db_subnet_group.main",
			"attribute": "subnet_ids",
			"message": "aws_db_subnet_group.main is placed in the default VPC: subnet_ids references aws_default_subnet.a, a default subnet of the default VPC",
		},
	} with input as mock.doc([subnet, group])
}

# ---------------------------------------------------------------------------
# Load balancers

test_load_balancers_without_subnets_are_reported if {
	lb := mock.resource("aws_lb", "web", {"load_balancer_type": "application"})
	alb := mock.resource("aws_alb", "old", {})
	elb := mock.resource("aws_elb", "classic", {"availability_zones": ["eu-west-1a"]})
	default_vpc.deny == {
		{
			"resource": "aws_lb.web",
			"attribute": "",
			"message": "aws_lb.web sets neither subnets nor subnet_mapping, so the load balancer can only be placed in the default VPC",
		},
		{
			"resource": "aws_alb.old",
			"attribute": "",
			"message": "aws_alb.old sets neither subnets nor subnet_mapping, so the load balancer can only be placed in the default VPC",
		},
		{
			"resource": "aws_elb.classic",
			"attribute": "",
			"message": "aws_elb.classic sets no subnets, so AWS creates the classic load balancer in the default VPC",
		},
	} with input as mock.doc([lb, alb, elb])
}

test_load_balancers_with_subnets_pass if {
	lb := mock.resource("aws_lb", "web", {"subnets": ["subnet-1", "subnet-2"]})
	nlb := mock.resource("aws_lb", "nlb", {"subnet_mapping": [{"subnet_id": "subnet-1", "allocation_id": "eipalloc-1"}]})
	elb := object.union(mock.resource("aws_elb", "classic", {}), {"unknown": {"subnets": true}})
	count(default_vpc.deny) == 0 with input as mock.doc([lb, nlb, elb])
}

test_load_balancer_in_default_subnets_is_reported if {
	subnet := mock.data_source("aws_subnet", "b", {"filter": [{"name": "default-for-az", "values": ["true"]}]})
	lb := object.union(
		_with_refs(
			mock.resource("aws_lb", "web", {"load_balancer_type": "network", "subnet_mapping": [{"allocation_id": "eipalloc-1"}]}),
			[mock.ref("subnet_mapping.0.subnet_id", "data.aws_subnet.b")],
		),
		{"unknown": {"subnet_mapping": [{"subnet_id": true}]}},
	)
	default_vpc.deny == {{
		"resource": "aws_lb.web",
		"attribute": "subnet_mapping.0.subnet_id",
		"message": "aws_lb.web is placed in the default VPC: subnet_mapping.0.subnet_id references data.aws_subnet.b, which looks up a default subnet (filter default-for-az = true)",
	}} with input as mock.doc([subnet, lb])
}

# ---------------------------------------------------------------------------
# Lambda and other resources

test_lambda_without_vpc_config_passes if {
	fn := mock.resource("aws_lambda_function", "handler", {"function_name": "handler", "runtime": "python3.12"})
	count(default_vpc.deny) == 0 with input as mock.doc([fn])
}

test_lambda_in_default_subnets_is_reported if {
	subnets := object.union(
		_with_refs(
			mock.data_source("aws_subnets", "all", {"filter": [{"name": "vpc-id", "values": [null]}]}),
			[mock.ref("filter.0.values", "aws_default_vpc.this")],
		),
		{"unknown": {"filter": [{"values": [true]}]}},
	)
	fn := object.union(
		_with_refs(
			mock.resource("aws_lambda_function", "handler", {"function_name": "handler", "vpc_config": [{}]}),
			[{"attribute": "vpc_config.0.subnet_ids", "target": "data.aws_subnets.all", "target_attribute": "ids"}],
		),
		{"unknown": {"vpc_config": [{"subnet_ids": true}]}},
	)
	vpc := mock.resource("aws_default_vpc", "this", {})
	default_vpc.deny == {
		{
			"resource": "aws_default_vpc.this",
			"attribute": "",
			"message": "aws_default_vpc.this manages the account's default VPC, which keeps it in use; its subnets are public by default. Delete the default VPC and use a dedicated one",
		},
		{
			"resource": "aws_lambda_function.handler",
			"attribute": "vpc_config.0.subnet_ids",
			"message": "aws_lambda_function.handler is placed in the default VPC: vpc_config.0.subnet_ids references data.aws_subnets.all, which looks up subnets of aws_default_vpc.this, the default VPC",
		},
	} with input as mock.doc([vpc, subnets, fn])
}

test_autoscaling_group_in_default_subnets_is_reported if {
	subnet := mock.resource("aws_default_subnet", "a", {})
	asg := _with_refs(mock.resource("aws_autoscaling_group", "app", {}), [mock.ref("vpc_zone_identifier", "aws_default_subnet.a")])
	findings := {[f.resource, f.attribute] | some f in default_vpc.deny} with input as mock.doc([subnet, asg])
	findings == {["aws_default_subnet.a", ""], ["aws_autoscaling_group.app", "vpc_zone_identifier"]}
}

# ---------------------------------------------------------------------------
# CloudFormation

test_cloudformation_resources_without_network_are_reported if {
	sg := mock.cfn("WebSG", "AWS::EC2::SecurityGroup", {"GroupDescription": "web"})
	instance := mock.cfn("App", "AWS::EC2::Instance", {"ImageId": "ami-1"})
	db := mock.cfn("Db", "AWS::RDS::DBInstance", {"Engine": "postgres"})
	lb := mock.cfn("Lb", "AWS::ElasticLoadBalancingV2::LoadBalancer", {"Type": "application"})
	default_vpc.deny == {
		{"resource": "WebSG", "attribute": "", "message": "WebSG sets no VpcId, so AWS creates the security group in the default VPC"},
		{"resource": "App", "attribute": "", "message": "App sets neither SubnetId nor NetworkInterfaces and uses no launch template, so AWS launches it in a default subnet of the default VPC"},
		{"resource": "Db", "attribute": "", "message": "Db sets no DBSubnetGroupName and is neither a read replica nor a cluster member, so AWS places it in the default DB subnet group, in the default VPC"},
		{"resource": "Lb", "attribute": "", "message": "Lb sets neither Subnets nor SubnetMappings, so the load balancer can only be placed in the default VPC"},
	} with input as mock.doc([sg, instance, db, lb])
}

test_cloudformation_resources_with_network_pass if {
	sg := _with_refs(mock.cfn("WebSG", "AWS::EC2::SecurityGroup", {"GroupDescription": "web"}), [mock.ref("VpcId", "Vpc")])
	instance := mock.cfn("App", "AWS::EC2::Instance", {"SubnetId": "subnet-1"})
	member := mock.cfn("Member", "AWS::RDS::DBInstance", {"DBClusterIdentifier": "aurora"})
	elb := mock.cfn("Classic", "AWS::ElasticLoadBalancing::LoadBalancer", {"Subnets": ["subnet-1"]})
	count(default_vpc.deny) == 0 with input as mock.doc([sg, instance, member, elb])
}

test_rule_of_unknown_direction_on_default_security_group if {
	sg := mock.resource("aws_default_security_group", "default", {})
	rule := object.union(
		mock.resource("aws_security_group_rule", "x", {"from_port": 22, "to_port": 22, "protocol": "tcp", "self": true}),
		{
			"unknown": {"type": true, "security_group_id": true},
			"references": [mock.ref("security_group_id", "aws_default_security_group.default")],
		},
	)
	default_vpc.deny == {{
		"resource": "aws_security_group_rule.x",
		"attribute": "security_group_id",
		"message": sprintf("aws_security_group_rule.x adds an ingress or egress rule to the default security group aws_default_security_group.default; %s", [_isolation]),
	}} with input as mock.doc([sg, rule])
}

test_network_set_through_a_reference_only_counts_as_set if {
	# The value was dropped (null) but the edge shows the attribute is written.
	instance := object.union(
		mock.resource("aws_instance", "app", {}),
		{"references": [mock.ref("network_interface.0.network_interface_id", "aws_network_interface.app")]},
	)
	count(default_vpc.deny) == 0 with input as mock.doc([instance])
}

test_cloudformation_properties_unknown_as_a_whole_pass if {
	opaque := object.union(mock.cfn("WebSG", "AWS::EC2::SecurityGroup", {}), {"meta": {"properties_unknown": true}})
	count(default_vpc.deny) == 0 with input as mock.doc([opaque])
}

# ---------------------------------------------------------------------------
# Database and Neptune/DocumentDB clusters

test_clusters_without_subnet_group_are_reported if {
	rds := mock.resource("aws_rds_cluster", "orders", {"engine": "aurora-postgresql"})
	docdb := mock.resource("aws_docdb_cluster", "docs", {"engine": "docdb"})
	neptune := mock.resource("aws_neptune_cluster", "graph", {"engine": "neptune"})
	default_vpc.deny == {
		{
			"resource": "aws_rds_cluster.orders",
			"attribute": "",
			"message": "aws_rds_cluster.orders sets no db_subnet_group_name, so AWS places the cluster in the default DB subnet group, in the default VPC",
		},
		{
			"resource": "aws_docdb_cluster.docs",
			"attribute": "",
			"message": "aws_docdb_cluster.docs sets no db_subnet_group_name, so AWS places the cluster in the default DB subnet group, in the default VPC",
		},
		{
			"resource": "aws_neptune_cluster.graph",
			"attribute": "",
			"message": "aws_neptune_cluster.graph sets no neptune_subnet_group_name, so AWS places the cluster in the default DB subnet group, in the default VPC",
		},
	} with input as mock.doc([rds, docdb, neptune])
}

test_clusters_with_subnet_group_pass if {
	rds := _with_refs(mock.resource("aws_rds_cluster", "orders", {}), [{"attribute": "db_subnet_group_name", "target": "aws_db_subnet_group.db", "target_attribute": "name"}])
	docdb := mock.resource("aws_docdb_cluster", "docs", {"db_subnet_group_name": "docs"})
	neptune := object.union(mock.resource("aws_neptune_cluster", "graph", {}), {"unknown": {"neptune_subnet_group_name": true}})
	count(default_vpc.deny) == 0 with input as mock.doc([rds, docdb, neptune])
}

# Cluster instances inherit the cluster's network: never reported.
test_cluster_instances_are_exempt if {
	members := [
		mock.resource("aws_rds_cluster_instance", "a", {"instance_class": "db.r6g.large"}),
		mock.resource("aws_docdb_cluster_instance", "b", {"instance_class": "db.r6g.large"}),
		mock.resource("aws_neptune_cluster_instance", "c", {"instance_class": "db.r6g.large"}),
	]
	count(default_vpc.deny) == 0 with input as mock.doc(members)
}

# ---------------------------------------------------------------------------
# Caches and Redshift

test_caches_and_redshift_without_subnet_group_are_reported if {
	cache := mock.resource("aws_elasticache_cluster", "sessions", {"engine": "redis"})
	group := mock.resource("aws_elasticache_replication_group", "cache", {"description": "cache"})
	serverless := mock.resource("aws_elasticache_serverless_cache", "quick", {"engine": "valkey"})
	redshift := mock.resource("aws_redshift_cluster", "dw", {"node_type": "ra3.xlplus"})
	default_vpc.deny == {
		{
			"resource": "aws_elasticache_cluster.sessions",
			"attribute": "",
			"message": "aws_elasticache_cluster.sessions sets no subnet_group_name and is not a member of a replication group, so AWS places it in the default cache subnet group, in the default VPC",
		},
		{
			"resource": "aws_elasticache_replication_group.cache",
			"attribute": "",
			"message": "aws_elasticache_replication_group.cache sets no subnet_group_name, so AWS places it in the default cache subnet group, in the default VPC",
		},
		{
			"resource": "aws_elasticache_serverless_cache.quick",
			"attribute": "",
			"message": "aws_elasticache_serverless_cache.quick sets no subnet_ids, so AWS places the cache in default subnets of the default VPC",
		},
		{
			"resource": "aws_redshift_cluster.dw",
			"attribute": "",
			"message": "aws_redshift_cluster.dw sets no cluster_subnet_group_name, so AWS places the cluster in the default cluster subnet group, in the default VPC",
		},
	} with input as mock.doc([cache, group, serverless, redshift])
}

test_caches_and_redshift_with_network_pass if {
	member := _with_refs(mock.resource("aws_elasticache_cluster", "replica", {}), [mock.ref("replication_group_id", "aws_elasticache_replication_group.cache")])
	cache := mock.resource("aws_elasticache_cluster", "sessions", {"subnet_group_name": "private"})
	group := object.union(mock.resource("aws_elasticache_replication_group", "cache", {}), {"unknown": {"subnet_group_name": true}})
	serverless := mock.resource("aws_elasticache_serverless_cache", "quick", {"subnet_ids": ["subnet-1"]})
	redshift := _with_refs(mock.resource("aws_redshift_cluster", "dw", {}), [{"attribute": "cluster_subnet_group_name", "target": "aws_redshift_subnet_group.dw", "target_attribute": "name"}])
	count(default_vpc.deny) == 0 with input as mock.doc([member, cache, group, serverless, redshift])
}

# ---------------------------------------------------------------------------
# Auto Scaling groups and launch templates

_template(name, values) := mock.resource("aws_launch_template", name, values)

_uses_template(res, attribute, template) := _with_refs(res, [mock.ref(attribute, template)])

test_autoscaling_group_without_subnets_is_reported if {
	asg := mock.resource("aws_autoscaling_group", "app", {"availability_zones": ["eu-west-1a"], "max_size": 2, "min_size": 1})
	default_vpc.deny == {{
		"resource": "aws_autoscaling_group.app",
		"attribute": "",
		"message": "aws_autoscaling_group.app sets no vpc_zone_identifier, so AWS launches its instances in the default subnets of its availability zones, in the default VPC",
	}} with input as mock.doc([asg])
}

test_autoscaling_group_whose_template_names_no_network_is_reported if {
	lt := _template("app", {"image_id": "ami-1", "network_interfaces": [{"associate_public_ip_address": false}]})
	asg := _uses_template(mock.resource("aws_autoscaling_group", "app", {"availability_zones": ["eu-west-1a"]}), "launch_template.0.id", "aws_launch_template.app")
	default_vpc.deny == {{
		"resource": "aws_autoscaling_group.app",
		"attribute": "",
		"message": "aws_autoscaling_group.app sets no vpc_zone_identifier, so AWS launches its instances in the default subnets of its availability zones, in the default VPC",
	}} with input as mock.doc([lt, asg])
}

test_autoscaling_group_with_subnets_or_template_network_passes if {
	with_subnets := _with_refs(mock.resource("aws_autoscaling_group", "a", {}), [mock.ref("vpc_zone_identifier", "aws_subnet.private")])
	unknown := object.union(mock.resource("aws_autoscaling_group", "b", {}), {"unknown": {"vpc_zone_identifier": true}})
	eni := _template("eni", {"network_interfaces": [{"network_interface_id": "eni-1", "device_index": 0}]})
	with_eni := _uses_template(mock.resource("aws_autoscaling_group", "c", {}), "launch_template.0.id", "aws_launch_template.eni")
	opaque := object.union(_template("opaque", {}), {"unknown": {"network_interfaces": true}})
	mixed := _uses_template(
		mock.resource("aws_autoscaling_group", "d", {}),
		"mixed_instances_policy.0.launch_template.0.launch_template_specification.0.launch_template_id",
		"aws_launch_template.opaque",
	)
	count(default_vpc.deny) == 0 with input as mock.doc([with_subnets, unknown, eni, with_eni, opaque, mixed])
}

test_launch_templates_alone_are_not_reported if {
	count(default_vpc.deny) == 0 with input as mock.doc([_template("app", {"image_id": "ami-1"})])
}

test_instance_whose_launch_template_names_no_network_is_reported if {
	lt := _template("app", {"image_id": "ami-1", "instance_type": "t3.micro"})
	instance := _uses_template(mock.resource("aws_instance", "app", {"launch_template": [{"version": "$Latest"}]}), "launch_template.0.id", "aws_launch_template.app")
	default_vpc.deny == {{
		"resource": "aws_instance.app",
		"attribute": "",
		"message": "aws_instance.app sets neither subnet_id nor network_interface and its launch template aws_launch_template.app names no subnet or network interface, so AWS launches it in a default subnet of the default VPC",
	}} with input as mock.doc([lt, instance])
}

test_instance_whose_launch_template_names_a_network_passes if {
	subnet_lt := object.union(
		_template("subnet", {"network_interfaces": [{"device_index": 0}]}),
		{"references": [mock.ref("network_interfaces.0.subnet_id", "aws_subnet.private")]},
	)
	a := _uses_template(mock.resource("aws_instance", "a", {}), "launch_template.0.id", "aws_launch_template.subnet")

	# A template outside the configuration (a data source, or an ID) may name it.
	lookup := mock.data_source("aws_launch_template", "shared", {"name": "shared"})
	b := _uses_template(mock.resource("aws_instance", "b", {}), "launch_template.0.id", "data.aws_launch_template.shared")
	c := mock.resource("aws_instance", "c", {"launch_template": [{"id": "lt-0123"}]})

	# The instance's own subnet wins whatever the template says.
	bare := _template("bare", {})
	d := _uses_template(mock.resource("aws_instance", "d", {"subnet_id": "subnet-1"}), "launch_template.0.id", "aws_launch_template.bare")
	count(default_vpc.deny) == 0 with input as mock.doc([subnet_lt, a, lookup, b, c, bare, d])
}

# ---------------------------------------------------------------------------
# Amazon MQ

test_broker_without_subnets_is_reported if {
	active := mock.resource("aws_mq_broker", "active", {"engine_type": "ActiveMQ", "publicly_accessible": true})
	private_rabbit := mock.resource("aws_mq_broker", "rabbit", {"engine_type": "RabbitMQ"})
	default_vpc.deny == {
		{
			"resource": "aws_mq_broker.active",
			"attribute": "",
			"message": "aws_mq_broker.active sets no subnet_ids and is not a public RabbitMQ broker, so AWS places it in default subnets of the default VPC",
		},
		{
			"resource": "aws_mq_broker.rabbit",
			"attribute": "",
			"message": "aws_mq_broker.rabbit sets no subnet_ids and is not a public RabbitMQ broker, so AWS places it in default subnets of the default VPC",
		},
	} with input as mock.doc([active, private_rabbit])
}

test_public_rabbitmq_and_placed_brokers_pass if {
	public_rabbit := mock.resource("aws_mq_broker", "a", {"engine_type": "RabbitMQ", "publicly_accessible": true})
	unknown_public := object.union(mock.resource("aws_mq_broker", "b", {"engine_type": "RABBITMQ"}), {"unknown": {"publicly_accessible": true}})
	unknown_engine := object.union(mock.resource("aws_mq_broker", "c", {"publicly_accessible": true}), {"unknown": {"engine_type": true}})
	placed := mock.resource("aws_mq_broker", "d", {"engine_type": "ActiveMQ", "subnet_ids": ["subnet-1"]})
	cfn := mock.cfn("Broker", "AWS::AmazonMQ::Broker", {"EngineType": "RABBITMQ", "PubliclyAccessible": "true"})
	count(default_vpc.deny) == 0 with input as mock.doc([public_rabbit, unknown_public, unknown_engine, placed, cfn])
}

# ---------------------------------------------------------------------------
# CloudFormation forms of the new types

test_cloudformation_clusters_caches_and_groups_without_network_are_reported if {
	resources := [
		mock.cfn("Aurora", "AWS::RDS::DBCluster", {"Engine": "aurora-mysql"}),
		mock.cfn("Graph", "AWS::Neptune::DBCluster", {}),
		mock.cfn("Docs", "AWS::DocDB::DBCluster", {}),
		mock.cfn("Cache", "AWS::ElastiCache::CacheCluster", {"Engine": "redis"}),
		mock.cfn("Group", "AWS::ElastiCache::ReplicationGroup", {"ReplicationGroupDescription": "cache"}),
		mock.cfn("Quick", "AWS::ElastiCache::ServerlessCache", {"Engine": "valkey"}),
		mock.cfn("Warehouse", "AWS::Redshift::Cluster", {"NodeType": "ra3.xlplus"}),
		mock.cfn("Workers", "AWS::AutoScaling::AutoScalingGroup", {"AvailabilityZones": ["eu-west-1a"]}),
		mock.cfn("Broker", "AWS::AmazonMQ::Broker", {"EngineType": "ACTIVEMQ", "PubliclyAccessible": false}),
	]
	default_vpc.deny == {
		{"resource": "Aurora", "attribute": "", "message": "Aurora sets no DBSubnetGroupName, so AWS places the cluster in the default DB subnet group, in the default VPC"},
		{"resource": "Graph", "attribute": "", "message": "Graph sets no DBSubnetGroupName, so AWS places the cluster in the default DB subnet group, in the default VPC"},
		{"resource": "Docs", "attribute": "", "message": "Docs sets no DBSubnetGroupName, so AWS places the cluster in the default DB subnet group, in the default VPC"},
		{"resource": "Cache", "attribute": "", "message": "Cache sets no CacheSubnetGroupName, so AWS places it in the default cache subnet group, in the default VPC"},
		{"resource": "Group", "attribute": "", "message": "Group sets no CacheSubnetGroupName, so AWS places it in the default cache subnet group, in the default VPC"},
		{"resource": "Quick", "attribute": "", "message": "Quick sets no SubnetIds, so AWS places the cache in default subnets of the default VPC"},
		{"resource": "Warehouse", "attribute": "", "message": "Warehouse sets no ClusterSubnetGroupName, so AWS places the cluster in the default cluster subnet group, in the default VPC"},
		{"resource": "Workers", "attribute": "", "message": "Workers sets no VPCZoneIdentifier, so AWS launches its instances in the default subnets of its availability zones, in the default VPC"},
		{"resource": "Broker", "attribute": "", "message": "Broker sets no SubnetIds and is not a public RabbitMQ broker, so AWS places it in default subnets of the default VPC"},
	} with input as mock.doc(resources)
}

test_cloudformation_clusters_caches_and_groups_with_network_pass if {
	resources := [
		_with_refs(mock.cfn("Aurora", "AWS::RDS::DBCluster", {}), [mock.ref("DBSubnetGroupName", "DbSubnets")]),
		mock.cfn("Graph", "AWS::Neptune::DBCluster", {"DBSubnetGroupName": "graph"}),
		object.union(mock.cfn("Docs", "AWS::DocDB::DBCluster", {}), {"unknown": {"DBSubnetGroupName": true}}),
		mock.cfn("Cache", "AWS::ElastiCache::CacheCluster", {"CacheSubnetGroupName": "private"}),
		mock.cfn("Group", "AWS::ElastiCache::ReplicationGroup", {"CacheSubnetGroupName": "private"}),
		mock.cfn("Quick", "AWS::ElastiCache::ServerlessCache", {"SubnetIds": ["subnet-1"]}),
		mock.cfn("Warehouse", "AWS::Redshift::Cluster", {"ClusterSubnetGroupName": "dw"}),
		_with_refs(mock.cfn("Workers", "AWS::AutoScaling::AutoScalingGroup", {}), [mock.ref("VPCZoneIdentifier.0", "PrivateSubnet")]),
		mock.cfn("Broker", "AWS::AmazonMQ::Broker", {"EngineType": "ACTIVEMQ", "SubnetIds": ["subnet-1"]}),
	]
	count(default_vpc.deny) == 0 with input as mock.doc(resources)
}

test_cloudformation_instance_and_group_with_launch_templates if {
	bare := mock.cfn("BareTemplate", "AWS::EC2::LaunchTemplate", {"LaunchTemplateData": {"ImageId": "ami-1"}})
	eni := mock.cfn("EniTemplate", "AWS::EC2::LaunchTemplate", {"LaunchTemplateData": {"NetworkInterfaces": [{"DeviceIndex": 0, "NetworkInterfaceId": "eni-1"}]}})
	unplaced := _with_refs(mock.cfn("App", "AWS::EC2::Instance", {"LaunchTemplate": {"Version": "1"}}), [mock.ref("LaunchTemplate.LaunchTemplateId", "BareTemplate")])
	placed := _with_refs(mock.cfn("Other", "AWS::EC2::Instance", {"LaunchTemplate": {"Version": "1"}}), [mock.ref("LaunchTemplate.LaunchTemplateId", "EniTemplate")])
	group := _with_refs(mock.cfn("Workers", "AWS::AutoScaling::AutoScalingGroup", {"AvailabilityZones": ["eu-west-1a"]}), [mock.ref("LaunchTemplate.LaunchTemplateId", "EniTemplate")])
	default_vpc.deny == {{
		"resource": "App",
		"attribute": "",
		"message": "App sets neither SubnetId nor NetworkInterfaces and its launch template BareTemplate names no subnet or network interface, so AWS launches it in a default subnet of the default VPC",
	}} with input as mock.doc([bare, eni, unplaced, placed, group])
}

test_opensearch_without_vpc_options_is_not_default_vpc if {
	domain := mock.resource("aws_opensearch_domain", "search", {"domain_name": "search"})
	legacy := mock.resource("aws_elasticsearch_domain", "logs", {"domain_name": "logs"})
	count(default_vpc.deny) == 0 with input as mock.doc([domain, legacy])
}

# Every type, with its placing attribute unknown (a module input, a value
# computed at apply time): nothing is reported.
test_every_placing_attribute_unknown_passes if {
	placing := {
		"aws_security_group": "vpc_id",
		"aws_instance": "subnet_id",
		"aws_autoscaling_group": "vpc_zone_identifier",
		"aws_db_instance": "db_subnet_group_name",
		"aws_rds_cluster": "db_subnet_group_name",
		"aws_docdb_cluster": "db_subnet_group_name",
		"aws_neptune_cluster": "neptune_subnet_group_name",
		"aws_elasticache_cluster": "subnet_group_name",
		"aws_elasticache_replication_group": "subnet_group_name",
		"aws_elasticache_serverless_cache": "subnet_ids",
		"aws_redshift_cluster": "cluster_subnet_group_name",
		"aws_mq_broker": "subnet_ids",
		"aws_lb": "subnets",
		"aws_alb": "subnets",
		"aws_elb": "subnets",
		"AWS::EC2::SecurityGroup": "VpcId",
		"AWS::EC2::Instance": "SubnetId",
		"AWS::AutoScaling::AutoScalingGroup": "VPCZoneIdentifier",
		"AWS::RDS::DBInstance": "DBSubnetGroupName",
		"AWS::RDS::DBCluster": "DBSubnetGroupName",
		"AWS::Neptune::DBCluster": "DBSubnetGroupName",
		"AWS::DocDB::DBCluster": "DBSubnetGroupName",
		"AWS::ElastiCache::CacheCluster": "CacheSubnetGroupName",
		"AWS::ElastiCache::ReplicationGroup": "CacheSubnetGroupName",
		"AWS::ElastiCache::ServerlessCache": "SubnetIds",
		"AWS::Redshift::Cluster": "ClusterSubnetGroupName",
		"AWS::AmazonMQ::Broker": "SubnetIds",
		"AWS::ElasticLoadBalancingV2::LoadBalancer": "Subnets",
		"AWS::ElasticLoadBalancing::LoadBalancer": "Subnets",
	}
	resources := [object.union(mock.resource(type, "x", {"engine_type": "ActiveMQ", "EngineType": "ACTIVEMQ"}), {
		"address": sprintf("%s.x", [type]),
		"unknown": {attribute: true},
	}) |
		some type, attribute in placing
	]
	count(resources) == 29
	count(default_vpc.deny) == 0 with input as mock.doc(resources)

	# The same resources with nothing set are all reported.
	bare := [object.union(object.remove(r, {"unknown"}), {"unknown": {}}) | some r in resources]
	count(default_vpc.deny) == 29 with input as mock.doc(bare)
}

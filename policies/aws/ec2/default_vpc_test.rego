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

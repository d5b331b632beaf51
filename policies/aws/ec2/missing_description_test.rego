package portcullis.aws.ec2.missing_description_test

import data.portcullis.aws.ec2.missing_description
import data.portcullis.lib.mock_test as mock

_why := "say what the rule allows and why"

_sg(values) := mock.resource("aws_security_group", "web", object.union({"name": "web", "vpc_id": "vpc-1"}, values))

_https := {"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}

_described(rule) := object.union(rule, {"description": "HTTPS from the VPC"})

# ---------------------------------------------------------------------------
# Security groups

test_security_group_without_description_is_reported if {
	missing_description.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "",
		"message": "Security group aws_security_group.web has no description, so Terraform sets the placeholder \"Managed by Terraform\", which says nothing about what the group protects",
	}} with input as mock.doc([_sg({})])
}

test_security_group_with_empty_description_is_reported if {
	expected := {{
		"resource": "aws_security_group.web",
		"attribute": "description",
		"message": "Security group aws_security_group.web has an empty description; say what the group protects",
	}}
	missing_description.deny == expected with input as mock.doc([_sg({"description": ""})])
	missing_description.deny == expected with input as mock.doc([_sg({"description": " \t "})])
}

test_security_group_with_terraform_placeholder_is_reported if {
	missing_description.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "description",
		"message": "Security group aws_security_group.web keeps the placeholder description \"Managed by Terraform\"; say what the group protects",
	}} with input as mock.doc([_sg({"description": "Managed by Terraform"})])
}

test_security_group_with_unknown_description_passes if {
	sg := object.union(_sg({}), {"unknown": {"description": true}})
	count(missing_description.deny) == 0 with input as mock.doc([sg])
}

test_described_group_and_rules_pass if {
	sg := _sg({
		"description": "Web servers",
		"ingress": [_described(_https)],
		"egress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"], "description": "All outbound"}],
	})
	count(missing_description.deny) == 0 with input as mock.doc([sg])
}

test_default_security_group_itself_needs_no_description if {
	sg := mock.resource("aws_default_security_group", "default", {})
	count(missing_description.deny) == 0 with input as mock.doc([sg])
}

test_data_source_is_not_reported if {
	sg := mock.data_source("aws_security_group", "legacy", {"ingress": [_https]})
	count(missing_description.deny) == 0 with input as mock.doc([sg])
}

# ---------------------------------------------------------------------------
# Inline rules

test_inline_rules_without_description_are_reported if {
	sg := _sg({
		"description": "Web servers",
		"ingress": [_described(_https), _https, object.union(_https, {"description": ""})],
		"egress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"], "description": "  "}],
	})
	missing_description.deny == {
		{
			"resource": "aws_security_group.web",
			"attribute": "ingress.1",
			"message": sprintf("Security group rule aws_security_group.web ingress.1 has no description; %s", [_why]),
		},
		{
			"resource": "aws_security_group.web",
			"attribute": "ingress.2.description",
			"message": sprintf("Security group rule aws_security_group.web ingress.2 has an empty description; %s", [_why]),
		},
		{
			"resource": "aws_security_group.web",
			"attribute": "egress.0.description",
			"message": sprintf("Security group rule aws_security_group.web egress.0 has an empty description; %s", [_why]),
		},
	} with input as mock.doc([sg])
}

# A plan holds every attribute of an inline block, an unset description as
# "": it is reported as missing, at the block. A standalone rule's "" was
# written.
test_plan_inline_rule_with_unset_description_is_missing if {
	sg := object.union(_sg({"description": "Web servers", "ingress": [object.union(_https, {"description": ""})]}), {"format": "terraform-plan"})
	rule := object.union(mock.resource("aws_security_group_rule", "blank", object.union(_https, {"type": "ingress", "description": ""})), {"format": "terraform-plan"})
	missing_description.deny == {
		{
			"resource": "aws_security_group.web",
			"attribute": "ingress.0",
			"message": sprintf("Security group rule aws_security_group.web ingress.0 has no description; %s", [_why]),
		},
		{
			"resource": "aws_security_group_rule.blank",
			"attribute": "description",
			"message": sprintf("Security group rule aws_security_group_rule.blank has an empty description; %s", [_why]),
		},
	} with input as mock.doc([sg, rule])
}

test_inline_rule_with_unknown_description_passes if {
	sg := object.union(
		_sg({"description": "Web servers", "ingress": [_https]}),
		{"unknown": {"ingress": [{"description": true}]}},
	)
	count(missing_description.deny) == 0 with input as mock.doc([sg])
}

test_default_security_group_rules_are_reported if {
	sg := mock.resource("aws_default_security_group", "default", {"ingress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "self": true}]})
	missing_description.deny == {{
		"resource": "aws_default_security_group.default",
		"attribute": "ingress.0",
		"message": sprintf("Security group rule aws_default_security_group.default ingress.0 has no description; %s", [_why]),
	}} with input as mock.doc([sg])
}

# ---------------------------------------------------------------------------
# Standalone rules

test_standalone_rules_without_description_are_reported if {
	described_sg := _sg({"description": "Web servers"})
	sg_rule := object.union(
		mock.resource("aws_security_group_rule", "https", object.union(_https, {"type": "ingress"})),
		{"unknown": {"security_group_id": true}, "references": [mock.ref("security_group_id", "aws_security_group.web")]},
	)
	empty_rule := mock.resource("aws_security_group_rule", "empty", object.union(_https, {"type": "egress", "description": "", "security_group_id": "sg-1"}))
	vpc_in := mock.resource("aws_vpc_security_group_ingress_rule", "in", {"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "10.0.0.0/8"})
	vpc_out := mock.resource("aws_vpc_security_group_egress_rule", "out", {"ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0", "description": ""})
	missing_description.deny == {
		{
			"resource": "aws_security_group_rule.https",
			"attribute": "",
			"message": sprintf("Security group rule aws_security_group_rule.https on aws_security_group.web has no description; %s", [_why]),
		},
		{
			"resource": "aws_security_group_rule.empty",
			"attribute": "description",
			"message": sprintf("Security group rule aws_security_group_rule.empty has an empty description; %s", [_why]),
		},
		{
			"resource": "aws_vpc_security_group_ingress_rule.in",
			"attribute": "",
			"message": sprintf("Security group rule aws_vpc_security_group_ingress_rule.in has no description; %s", [_why]),
		},
		{
			"resource": "aws_vpc_security_group_egress_rule.out",
			"attribute": "description",
			"message": sprintf("Security group rule aws_vpc_security_group_egress_rule.out has an empty description; %s", [_why]),
		},
	} with input as mock.doc([described_sg, sg_rule, empty_rule, vpc_in, vpc_out])
}

test_standalone_rules_with_description_pass if {
	sg_rule := mock.resource("aws_security_group_rule", "https", object.union(_described(_https), {"type": "ingress"}))
	vpc_in := mock.resource("aws_vpc_security_group_ingress_rule", "in", {"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "10.0.0.0/8", "description": "HTTPS"})
	unknown := object.union(
		mock.resource("aws_vpc_security_group_egress_rule", "out", {"ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"}),
		{"unknown": {"description": true}},
	)
	count(missing_description.deny) == 0 with input as mock.doc([sg_rule, vpc_in, unknown])
}

# ---------------------------------------------------------------------------
# CloudFormation

test_cloudformation_forms if {
	sg := mock.cfn("WebSG", "AWS::EC2::SecurityGroup", {
		"GroupDescription": " ",
		"VpcId": "vpc-1",
		"SecurityGroupIngress": [
			{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8", "Description": "HTTPS"},
			{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8"},
		],
	})
	nameless := mock.cfn("OtherSG", "AWS::EC2::SecurityGroup", {"VpcId": "vpc-1"})
	ingress := mock.cfn("In", "AWS::EC2::SecurityGroupIngress", {"GroupId": "sg-1", "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8", "Description": ""})
	missing_description.deny == {
		{
			"resource": "WebSG",
			"attribute": "GroupDescription",
			"message": "Security group WebSG has an empty GroupDescription; say what the group protects",
		},
		{
			"resource": "WebSG",
			"attribute": "SecurityGroupIngress.1",
			"message": sprintf("Security group rule WebSG SecurityGroupIngress.1 has no description; %s", [_why]),
		},
		{
			"resource": "OtherSG",
			"attribute": "",
			"message": "Security group OtherSG has no GroupDescription; say what the group protects",
		},
		{
			"resource": "In",
			"attribute": "Description",
			"message": sprintf("Security group rule In has an empty description; %s", [_why]),
		},
	} with input as mock.doc([sg, nameless, ingress])
}

test_rule_placeholders_count_as_missing if {
	sg := _sg({"description": "web servers", "ingress": [{
		"description": "Managed by Terraform", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"],
	}]})
	rule := mock.resource("aws_vpc_security_group_ingress_rule", "r", {"description": " TODO ", "ip_protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_ipv4": "10.0.0.0/8"})
	missing_description.deny == {
		{
			"resource": "aws_security_group.web",
			"attribute": "ingress.0.description",
			"message": "Security group rule aws_security_group.web ingress.0 keeps the placeholder description \"Managed by Terraform\"; say what the rule allows and why",
		},
		{
			"resource": "aws_vpc_security_group_ingress_rule.r",
			"attribute": "description",
			"message": "Security group rule aws_vpc_security_group_ingress_rule.r keeps the placeholder description \" TODO \"; say what the rule allows and why",
		},
	} with input as mock.doc([sg, rule])
}

test_registry_module_placeholder_on_a_group if {
	missing_description.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "description",
		"message": "Security group aws_security_group.web keeps the placeholder description \"Security Group managed by Terraform\"; say what the group protects",
	}} with input as mock.doc([_sg({"description": "Security Group managed by Terraform"})])
}

test_classic_groups if {
	db := mock.resource("aws_db_security_group", "legacy", {"name": "legacy", "ingress": [{"cidr": "10.0.0.0/8"}]})
	cache := mock.resource("aws_elasticache_security_group", "legacy", {"name": "legacy", "description": "Managed by Terraform", "security_group_names": ["app"]})
	redshift := mock.resource("aws_redshift_security_group", "ok", {"name": "ok", "description": "Warehouse access from the BI servers", "ingress": [{"cidr": "10.0.0.0/8"}]})
	cfn_db := mock.cfn("LegacyDB", "AWS::RDS::DBSecurityGroup", {"GroupDescription": "", "DBSecurityGroupIngress": [{"CIDRIP": "10.0.0.0/8"}]})
	cfn_cache := mock.cfn("LegacyCache", "AWS::ElastiCache::SecurityGroup", {})
	missing_description.deny == {
		{
			"resource": "aws_db_security_group.legacy",
			"attribute": "",
			"message": "DB security group aws_db_security_group.legacy has no description, so Terraform sets the placeholder \"Managed by Terraform\", which says nothing about what the group protects",
		},
		{
			"resource": "aws_elasticache_security_group.legacy",
			"attribute": "description",
			"message": "ElastiCache security group aws_elasticache_security_group.legacy keeps the placeholder description \"Managed by Terraform\"; say what the group protects",
		},
		{
			"resource": "LegacyDB",
			"attribute": "GroupDescription",
			"message": "DB security group LegacyDB has an empty GroupDescription; say what the group protects",
		},
		{
			"resource": "LegacyCache",
			"attribute": "",
			"message": "ElastiCache security group LegacyCache has no Description; say what the group protects",
		},
	} with input as mock.doc([db, cache, redshift, cfn_db, cfn_cache])
}

test_nacl_entries_need_no_description if {
	acl := mock.resource("aws_network_acl", "a", {"ingress": [{"rule_no": 100, "action": "allow", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_block": "10.0.0.0/8"}]})
	missing_description.deny == set() with input as mock.doc([acl])
}

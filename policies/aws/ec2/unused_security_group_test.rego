package portcullis.aws.ec2.unused_security_group_test

import data.portcullis.aws.ec2.unused_security_group as rule
import data.portcullis.lib.mock_test as mock

_group(name) := mock.resource("aws_security_group", name, {"name": name, "description": name, "vpc_id": "vpc-1"})

_used_by(group, source, attribute) := object.union(group, {"referenced_by": [{"source": source, "attribute": attribute, "target_attribute": "id"}]})

test_unreferenced_group_is_reported if {
	rule.deny == {{
		"resource": "aws_security_group.legacy",
		"attribute": "",
		"message": "aws_security_group.legacy is attached to nothing: no resource of the configuration references it; delete it or attach it where it is needed",
	}} with input as mock.doc([_group("legacy")])
}

test_any_reference_is_a_use if {
	attached := _used_by(_group("app"), "aws_instance.app", "vpc_security_group_ids.0")
	ruled := _used_by(_group("db"), "aws_vpc_security_group_ingress_rule.db", "security_group_id")
	peer := _used_by(_group("lb"), "aws_security_group.app", "ingress.0.security_groups.0")
	in_module := _used_by(object.union(_group("mod"), {"address": "module.app.aws_security_group.mod", "module": "module.app"}), "module.app.aws_launch_template.app", "vpc_security_group_ids.0")
	looked_up := _used_by(_group("looked"), "data.aws_security_group.looked", "id")
	count(rule.deny) == 0 with input as mock.doc([attached, ruled, peer, in_module, looked_up])
}

test_default_security_group_is_never_reported if {
	count(rule.deny) == 0 with input as mock.doc([mock.resource("aws_default_security_group", "default", {"vpc_id": "vpc-1"})])
}

test_data_source_group_is_not_reported if {
	count(rule.deny) == 0 with input as mock.doc([mock.data_source("aws_security_group", "shared", {"name": "shared"})])
}

test_cloudformation_groups if {
	unused := mock.cfn("UnusedGroup", "AWS::EC2::SecurityGroup", {"GroupDescription": "unused", "VpcId": "vpc-1"})
	used := object.union(mock.cfn("UsedGroup", "AWS::EC2::SecurityGroup", {"GroupDescription": "used"}), {"referenced_by": [{"source": "Instance", "attribute": "SecurityGroupIds.0", "target_attribute": "GroupId"}]})
	waited := mock.cfn("WaitedGroup", "AWS::EC2::SecurityGroup", {"GroupDescription": "waited"})
	waiter := object.union(mock.cfn("Waiter", "AWS::EC2::Instance", {"SubnetId": "subnet-1"}), {"meta": {"depends_on": ["WaitedGroup"]}})
	rule.deny == {{
		"resource": "UnusedGroup",
		"attribute": "",
		"message": "UnusedGroup is attached to nothing: no resource of the template references it; delete it or attach it where it is needed",
	}} with input as mock.doc([unused, used, waited, waiter])
}

# A Terraform resource's meta never names CloudFormation dependencies.
test_terraform_meta_is_not_depends_on if {
	other := object.union(mock.resource("aws_instance", "x", {}), {"meta": {"depends_on": ["aws_security_group.legacy"]}})
	count(rule.deny) == 1 with input as mock.doc([_group("legacy"), other])
}

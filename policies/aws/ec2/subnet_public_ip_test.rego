package portcullis.aws.ec2.subnet_public_ip_test

import data.portcullis.aws.ec2.subnet_public_ip
import data.portcullis.lib.mock_test as mock

_why := "so every instance launched in it gets a public IPv4 address; set it to false and give public addresses only to the resources that must be reachable"

test_public_subnet_is_reported if {
	subnet := mock.resource("aws_subnet", "public", {"cidr_block": "10.0.0.0/24", "map_public_ip_on_launch": true})
	subnet_public_ip.deny == {{
		"resource": "aws_subnet.public",
		"attribute": "map_public_ip_on_launch",
		"message": sprintf("aws_subnet.public sets map_public_ip_on_launch to true, %s", [_why]),
	}} with input as mock.doc([subnet])
}

test_string_true_is_reported if {
	subnet := mock.resource("aws_subnet", "public", {"map_public_ip_on_launch": "true"})
	count(subnet_public_ip.deny) == 1 with input as mock.doc([subnet])
}

test_private_subnets_pass if {
	explicit := mock.resource("aws_subnet", "a", {"map_public_ip_on_launch": false})
	implicit := mock.resource("aws_subnet", "b", {"cidr_block": "10.0.1.0/24"})
	unknown := object.union(mock.resource("aws_subnet", "c", {}), {"unknown": {"map_public_ip_on_launch": true}})
	count(subnet_public_ip.deny) == 0 with input as mock.doc([explicit, implicit, unknown])
}

test_default_subnet_without_setting_is_reported if {
	subnet := mock.resource("aws_default_subnet", "a", {"availability_zone": "eu-west-1a"})
	subnet_public_ip.deny == {{
		"resource": "aws_default_subnet.a",
		"attribute": "",
		"message": "aws_default_subnet.a does not set map_public_ip_on_launch, and a default subnet assigns a public IPv4 address to every instance launched in it; set map_public_ip_on_launch = false",
	}} with input as mock.doc([subnet])
}

test_default_subnet_set_to_true_is_reported_at_the_value if {
	subnet := mock.resource("aws_default_subnet", "a", {"map_public_ip_on_launch": true})
	subnet_public_ip.deny == {{
		"resource": "aws_default_subnet.a",
		"attribute": "map_public_ip_on_launch",
		"message": sprintf("aws_default_subnet.a sets map_public_ip_on_launch to true, %s", [_why]),
	}} with input as mock.doc([subnet])
}

test_default_subnet_turned_off_or_unknown_passes if {
	off := mock.resource("aws_default_subnet", "a", {"map_public_ip_on_launch": false})
	unknown := object.union(mock.resource("aws_default_subnet", "b", {}), {"unknown": {"map_public_ip_on_launch": true}})
	count(subnet_public_ip.deny) == 0 with input as mock.doc([off, unknown])
}

test_cloudformation_subnet if {
	public := mock.cfn("PublicSubnet", "AWS::EC2::Subnet", {"CidrBlock": "10.0.0.0/24", "MapPublicIpOnLaunch": "true"})
	private := mock.cfn("PrivateSubnet", "AWS::EC2::Subnet", {"CidrBlock": "10.0.1.0/24", "MapPublicIpOnLaunch": false})
	unset := mock.cfn("OtherSubnet", "AWS::EC2::Subnet", {"CidrBlock": "10.0.2.0/24"})
	subnet_public_ip.deny == {{
		"resource": "PublicSubnet",
		"attribute": "MapPublicIpOnLaunch",
		"message": sprintf("PublicSubnet sets MapPublicIpOnLaunch to true, %s", [_why]),
	}} with input as mock.doc([public, private, unset])
}

test_data_sources_are_not_reported if {
	subnet := mock.data_source("aws_subnet", "public", {"map_public_ip_on_launch": true})
	count(subnet_public_ip.deny) == 0 with input as mock.doc([subnet])
}

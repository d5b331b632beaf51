package portcullis.aws.ec2.open_egress_test

import data.portcullis.aws.ec2.open_egress
import data.portcullis.lib.mock_test as mock

_sg(egress) := mock.resource("aws_security_group", "app", {"name": "app", "description": "app", "vpc_id": "vpc-1", "egress": egress})

test_all_traffic_to_the_internet if {
	open_egress.deny == {
		{
			"resource": "aws_security_group.app",
			"attribute": "egress.0.cidr_blocks.0",
			"message": "Security group rule aws_security_group.app egress.0 allows 0.0.0.0/0 to all traffic (protocol -1: every protocol, ports 0-65535), so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered",
		},
		{
			"resource": "aws_security_group.app",
			"attribute": "egress.0.ipv6_cidr_blocks.0",
			"message": "Security group rule aws_security_group.app egress.0 allows ::/0 to all traffic (protocol -1: every protocol, ports 0-65535), so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered",
		},
	} with input as mock.doc([_sg([{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"]}])])
}

test_every_tcp_port if {
	rule := mock.resource("aws_vpc_security_group_egress_rule", "all_tcp", {"ip_protocol": "tcp", "from_port": 0, "to_port": 65535, "cidr_ipv4": "0.0.0.0/0"})
	open_egress.deny == {{
		"resource": "aws_vpc_security_group_egress_rule.all_tcp",
		"attribute": "cidr_ipv4",
		"message": "Security group rule aws_vpc_security_group_egress_rule.all_tcp allows 0.0.0.0/0 to every TCP port, so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered",
	}} with input as mock.doc([rule])
}

test_every_tcp_port_from_port_one if {
	rule := mock.resource("aws_vpc_security_group_egress_rule", "all_tcp", {"ip_protocol": "tcp", "from_port": 1, "to_port": 65535, "cidr_ipv4": "0.0.0.0/0"})
	open_egress.deny == {{
		"resource": "aws_vpc_security_group_egress_rule.all_tcp",
		"attribute": "cidr_ipv4",
		"message": "Security group rule aws_vpc_security_group_egress_rule.all_tcp allows 0.0.0.0/0 to every TCP port, so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered",
	}} with input as mock.doc([rule])
}

test_cfn_egress if {
	sg := mock.cfn("AppSG", "AWS::EC2::SecurityGroup", {"GroupDescription": "app", "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}]})
	open_egress.deny == {{
		"resource": "AppSG",
		"attribute": "SecurityGroupEgress.0.CidrIp",
		"message": "Security group rule AppSG SecurityGroupEgress.0 allows 0.0.0.0/0 to all traffic (protocol -1: every protocol, ports 0-65535), so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered",
	}} with input as mock.doc([sg])
}

test_nacl_egress if {
	acl := mock.resource("aws_network_acl", "private", {"egress": [{"rule_no": 100, "action": "allow", "protocol": "-1", "cidr_block": "0.0.0.0/0"}]})
	open_egress.deny == {{
		"resource": "aws_network_acl.private",
		"attribute": "egress.0.cidr_block",
		"message": "Network ACL rule aws_network_acl.private egress.0 allows 0.0.0.0/0 to all traffic (protocol -1: every protocol, ports 0-65535), so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered",
	}} with input as mock.doc([acl])
}

test_restricted_egress_is_not_reported if {
	open_egress.deny == set() with input as mock.doc([_sg([
		{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]},
		{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["10.0.0.0/8"]},
		{"protocol": "-1", "from_port": 0, "to_port": 0, "prefix_list_ids": ["pl-1"]},
	])])
}

test_ingress_and_default_group_are_not_reported if {
	sg := mock.resource("aws_security_group", "in", {"ingress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]})
	dflt := mock.resource("aws_default_security_group", "d", {"egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]})
	open_egress.deny == set() with input as mock.doc([sg, dflt])
}

# PCS-AWS-002 reports every rule of a default security group, standalone
# rules included.
test_standalone_rule_on_the_default_group_is_not_reported if {
	dflt := mock.resource("aws_default_security_group", "d", {"vpc_id": "vpc-1"})
	rule := object.union(
		mock.resource("aws_vpc_security_group_egress_rule", "all", {"ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"}),
		{"unknown": {"security_group_id": true}, "references": [mock.ref("security_group_id", "aws_default_security_group.d")]},
	)
	open_egress.deny == set() with input as mock.doc([dflt, rule])
}

test_nacl_egress_restricted_by_an_earlier_deny_is_not_reported if {
	acl := mock.resource("aws_network_acl", "private", {"egress": [
		{"rule_no": 50, "action": "deny", "protocol": "tcp", "from_port": 25, "to_port": 25, "cidr_block": "0.0.0.0/0"},
		{"rule_no": 100, "action": "allow", "protocol": "-1", "cidr_block": "0.0.0.0/0"},
	]})
	open_egress.deny == set() with input as mock.doc([acl])
}

test_nacl_egress_after_a_deny_of_internal_destinations_is_reported if {
	acl := mock.resource("aws_network_acl", "private", {"egress": [
		{"rule_no": 50, "action": "deny", "protocol": "-1", "cidr_block": "10.0.0.0/8"},
		{"rule_no": 100, "action": "allow", "protocol": "-1", "cidr_block": "0.0.0.0/0"},
	]})
	open_egress.deny == {{
		"resource": "aws_network_acl.private",
		"attribute": "egress.1.cidr_block",
		"message": "Network ACL rule aws_network_acl.private egress.1 allows 0.0.0.0/0 to all traffic (protocol -1: every protocol, ports 0-65535), so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered",
	}} with input as mock.doc([acl])
}

test_unknown_cidr_is_not_reported if {
	sg := object.union(_sg([{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": [null]}]), {"unknown": {"egress": [{"cidr_blocks": [true]}]}})
	open_egress.deny == set() with input as mock.doc([sg])
}

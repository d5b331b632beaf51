package portcullis.aws.ec2.open_ingress_test

import data.portcullis.aws.ec2.open_ingress
import data.portcullis.lib.mock_test as mock

_sg(name, ingress) := mock.resource("aws_security_group", name, {
	"name": name,
	"description": "test group",
	"vpc_id": "vpc-0123",
	"ingress": ingress,
})

_tcp(from, to, cidrs) := {"from_port": from, "to_port": to, "protocol": "tcp", "cidr_blocks": cidrs, "description": "test"}

_rule(name, values, group) := object.union(mock.resource("aws_security_group_rule", name, values), {
	"unknown": {"security_group_id": true},
	"references": [mock.ref("security_group_id", group)],
})

# ---------------------------------------------------------------------------
# Firing

test_ssh_from_internet_is_critical if {
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to TCP port 22 (SSH)",
		"severity": "critical",
	}} with input as mock.doc([_sg("web", [_tcp(22, 22, ["0.0.0.0/0"])])])
}

test_ipv6_internet_is_reported if {
	ingress := {"from_port": 3389, "to_port": 3389, "protocol": "tcp", "ipv6_cidr_blocks": ["2001:db8::/32", "::/0"]}
	open_ingress.deny == {{
		"resource": "aws_security_group.win",
		"attribute": "ingress.0.ipv6_cidr_blocks.1",
		"message": "Security group rule aws_security_group.win ingress.0 allows ::/0 to TCP port 3389 (RDP)",
		"severity": "critical",
	}} with input as mock.doc([_sg("win", [ingress])])
}

test_one_finding_per_open_cidr_element if {
	ingress := {
		"from_port": 22, "to_port": 22, "protocol": "tcp",
		"cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"],
		"ipv6_cidr_blocks": ["::/0"],
	}
	open_ingress.deny == {
		{
			"resource": "aws_security_group.web",
			"attribute": "ingress.1.cidr_blocks.1",
			"message": "Security group rule aws_security_group.web ingress.1 allows 0.0.0.0/0 to TCP port 22 (SSH)",
			"severity": "critical",
		},
		{
			"resource": "aws_security_group.web",
			"attribute": "ingress.1.ipv6_cidr_blocks.0",
			"message": "Security group rule aws_security_group.web ingress.1 allows ::/0 to TCP port 22 (SSH)",
			"severity": "critical",
		},
	} with input as mock.doc([_sg("web", [_tcp(443, 443, ["10.0.0.0/8"]), ingress])])
}

test_any_address_with_zero_prefix_is_the_internet if {
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.0 allows 10.0.0.0/0 to TCP port 443 (HTTPS)",
		"severity": "high",
	}} with input as mock.doc([_sg("web", [_tcp(443, 443, ["10.0.0.0/0"])])])
}

test_all_protocols_is_critical if {
	ingress := {"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]}
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to all traffic (protocol -1: every protocol, ports 0-65535)",
		"severity": "critical",
	}} with input as mock.doc([_sg("web", [ingress])])
}

test_all_tcp_ports_is_critical if {
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to TCP ports 0-65535 (all)",
		"severity": "critical",
	}} with input as mock.doc([_sg("web", [_tcp(0, 65535, ["0.0.0.0/0"])])])
}

test_range_containing_ssh_is_critical if {
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to TCP ports 20-25 including 20 (FTP-data), 21 (FTP), 22 (SSH), 23 (Telnet)",
		"severity": "critical",
	}} with input as mock.doc([_sg("web", [_tcp(20, 25, ["0.0.0.0/0"])])])
}

test_range_lists_sensitive_ports_sorted if {
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to TCP ports 3000-3389 including 3306 (MySQL), 3389 (RDP)",
		"severity": "critical",
	}} with input as mock.doc([_sg("web", [_tcp(3000, 3389, ["0.0.0.0/0"])])])
}

test_wide_range_message_is_capped if {
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to TCP ports 1-10000 including 20 (FTP-data), 21 (FTP), 22 (SSH), 23 (Telnet), 111 (rpcbind), 135 (MSRPC) and 45 more sensitive ports",
		"severity": "critical",
	}} with input as mock.doc([_sg("web", [_tcp(1, 10000, ["0.0.0.0/0"])])])
}

test_https_only_is_high if {
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to TCP port 443 (HTTPS)",
		"severity": "high",
	}} with input as mock.doc([_sg("web", [_tcp(443, 443, ["0.0.0.0/0"])])])
}

test_non_sensitive_range_is_high if {
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to TCP ports 8090-8099",
		"severity": "high",
	}} with input as mock.doc([_sg("web", [_tcp(8090, 8099, ["0.0.0.0/0"])])])
}

test_udp_sensitive_port_is_critical if {
	ingress := {"from_port": "11211", "to_port": "11211", "protocol": "udp", "cidr_blocks": ["0.0.0.0/0"]}
	open_ingress.deny == {{
		"resource": "aws_security_group.cache",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.cache ingress.0 allows 0.0.0.0/0 to UDP port 11211 (Memcached)",
		"severity": "critical",
	}} with input as mock.doc([_sg("cache", [ingress])])
}

test_icmp_is_high if {
	ingress := {"from_port": 8, "to_port": 0, "protocol": "icmp", "cidr_blocks": ["0.0.0.0/0"]}
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to ICMP",
		"severity": "high",
	}} with input as mock.doc([_sg("web", [ingress])])
}

test_unknown_ports_are_high if {
	sg := object.union(
		_sg("web", [{"protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]),
		{"unknown": {"ingress": [{"from_port": true, "to_port": true}]}},
	)
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to TCP ports that cannot be determined statically",
		"severity": "high",
	}} with input as mock.doc([sg])
}

test_unknown_protocol_is_high if {
	sg := object.union(
		_sg("web", [{"from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]),
		{"unknown": {"ingress": [{"protocol": true}]}},
	)
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to traffic whose protocol cannot be determined statically",
		"severity": "high",
	}} with input as mock.doc([sg])
}

test_default_security_group_inline if {
	sg := mock.resource("aws_default_security_group", "default", {"ingress": [_tcp(22, 22, ["0.0.0.0/0"])]})
	open_ingress.deny == {{
		"resource": "aws_default_security_group.default",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_default_security_group.default ingress.0 allows 0.0.0.0/0 to TCP port 22 (SSH)",
		"severity": "critical",
	}} with input as mock.doc([sg])
}

test_security_group_rule if {
	rule := _rule("ssh", {"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}, "aws_security_group.web")
	open_ingress.deny == {{
		"resource": "aws_security_group_rule.ssh",
		"attribute": "cidr_blocks.0",
		"message": "Security group rule aws_security_group_rule.ssh on aws_security_group.web allows 0.0.0.0/0 to TCP port 22 (SSH)",
		"severity": "critical",
	}} with input as mock.doc([_sg("web", []), rule])
}

test_security_group_rule_ipv6 if {
	rule := _rule("all", {"type": "ingress", "from_port": 0, "to_port": 0, "protocol": "all", "ipv6_cidr_blocks": ["::/0"]}, "aws_security_group.web")
	open_ingress.deny == {{
		"resource": "aws_security_group_rule.all",
		"attribute": "ipv6_cidr_blocks.0",
		"message": "Security group rule aws_security_group_rule.all on aws_security_group.web allows ::/0 to all traffic (protocol -1: every protocol, ports 0-65535)",
		"severity": "critical",
	}} with input as mock.doc([rule])
}

test_vpc_ingress_rules if {
	v4 := object.union(
		mock.resource("aws_vpc_security_group_ingress_rule", "pg", {"ip_protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_ipv4": "0.0.0.0/0"}),
		{"unknown": {"security_group_id": true}, "references": [mock.ref("security_group_id", "aws_security_group.db")]},
	)
	v6 := mock.resource("aws_vpc_security_group_ingress_rule", "web6", {"ip_protocol": "6", "from_port": 443, "to_port": 443, "cidr_ipv6": "::/0", "security_group_id": "sg-0123"})
	open_ingress.deny == {
		{
			"resource": "aws_vpc_security_group_ingress_rule.pg",
			"attribute": "cidr_ipv4",
			"message": "Security group rule aws_vpc_security_group_ingress_rule.pg on aws_security_group.db allows 0.0.0.0/0 to TCP port 5432 (PostgreSQL)",
			"severity": "critical",
		},
		{
			"resource": "aws_vpc_security_group_ingress_rule.web6",
			"attribute": "cidr_ipv6",
			"message": "Security group rule aws_vpc_security_group_ingress_rule.web6 allows ::/0 to TCP port 443 (HTTPS)",
			"severity": "high",
		},
	} with input as mock.doc([v4, v6])
}

test_vpc_ingress_rule_all_protocols if {
	rule := mock.resource("aws_vpc_security_group_ingress_rule", "any", {"ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"})
	open_ingress.deny == {{
		"resource": "aws_vpc_security_group_ingress_rule.any",
		"attribute": "cidr_ipv4",
		"message": "Security group rule aws_vpc_security_group_ingress_rule.any allows 0.0.0.0/0 to all traffic (protocol -1: every protocol, ports 0-65535)",
		"severity": "critical",
	}} with input as mock.doc([rule])
}

test_cloudformation_forms if {
	sg := mock.cfn("WebSG", "AWS::EC2::SecurityGroup", {
		"GroupDescription": "web",
		"VpcId": "vpc-1",
		"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}],
		"SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}],
	})
	ingress := object.union(
		mock.cfn("RdpIn", "AWS::EC2::SecurityGroupIngress", {"IpProtocol": "tcp", "FromPort": "3389", "ToPort": "3389", "CidrIpv6": "::/0"}),
		{"unknown": {"GroupId": true}, "references": [mock.ref("GroupId", "WebSG")]},
	)
	egress := mock.cfn("AllOut", "AWS::EC2::SecurityGroupEgress", {"IpProtocol": "-1", "CidrIp": "0.0.0.0/0", "GroupId": "sg-1"})
	open_ingress.deny == {
		{
			"resource": "WebSG",
			"attribute": "SecurityGroupIngress.0.CidrIp",
			"message": "Security group rule WebSG SecurityGroupIngress.0 allows 0.0.0.0/0 to TCP port 22 (SSH)",
			"severity": "critical",
		},
		{
			"resource": "RdpIn",
			"attribute": "CidrIpv6",
			"message": "Security group rule RdpIn on WebSG allows ::/0 to TCP port 3389 (RDP)",
			"severity": "critical",
		},
	} with input as mock.doc([sg, ingress, egress])
}

# ---------------------------------------------------------------------------
# Not firing

test_private_cidr_is_not_open if {
	count(open_ingress.deny) == 0 with input as mock.doc([_sg("web", [_tcp(22, 22, ["10.0.0.0/8", "0.0.0.0/1", "203.0.113.10/32"])])])
}

test_private_ipv6_cidr_is_not_open if {
	ingress := {"from_port": 22, "to_port": 22, "protocol": "tcp", "ipv6_cidr_blocks": ["2001:db8::/32", "::/1"]}
	count(open_ingress.deny) == 0 with input as mock.doc([_sg("web", [ingress])])
}

test_security_group_reference_only_is_not_open if {
	sg := object.union(
		_sg("web", [{"from_port": 22, "to_port": 22, "protocol": "tcp", "security_groups": [null]}]),
		{
			"unknown": {"ingress": [{"security_groups": [true]}]},
			"references": [mock.ref("ingress.0.security_groups", "aws_security_group.bastion")],
		},
	)
	rule := _rule("from_lb", {"type": "ingress", "from_port": 0, "to_port": 65535, "protocol": "tcp", "source_security_group_id": "sg-1"}, "aws_security_group.web")
	vpc_rule := mock.resource("aws_vpc_security_group_ingress_rule", "peer", {"ip_protocol": "-1", "referenced_security_group_id": "sg-2"})
	count(open_ingress.deny) == 0 with input as mock.doc([sg, rule, vpc_rule])
}

test_prefix_list_only_is_not_open if {
	sg := _sg("web", [{"from_port": 443, "to_port": 443, "protocol": "tcp", "prefix_list_ids": ["pl-0abc"]}])
	vpc_rule := mock.resource("aws_vpc_security_group_ingress_rule", "pl", {"ip_protocol": "tcp", "from_port": 22, "to_port": 22, "prefix_list_id": "pl-0abc"})
	count(open_ingress.deny) == 0 with input as mock.doc([sg, vpc_rule])
}

test_self_only_is_not_open if {
	sg := _sg("cluster", [{"from_port": 0, "to_port": 0, "protocol": "-1", "self": true}])
	rule := _rule("self", {"type": "ingress", "from_port": 0, "to_port": 0, "protocol": "-1", "self": true}, "aws_security_group.cluster")
	count(open_ingress.deny) == 0 with input as mock.doc([sg, rule])
}

test_egress_to_internet_is_not_reported if {
	sg := mock.resource("aws_security_group", "web", {"egress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"]}]})
	rule := _rule("out", {"type": "egress", "from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}, "aws_security_group.web")
	vpc_rule := mock.resource("aws_vpc_security_group_egress_rule", "out", {"ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"})
	count(open_ingress.deny) == 0 with input as mock.doc([sg, rule, vpc_rule])
}

test_unknown_cidr_is_not_reported if {
	sg := object.union(
		_sg("web", [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": [null]}]),
		{"unknown": {"ingress": [{"cidr_blocks": [true]}]}},
	)
	rule := object.union(
		mock.resource("aws_security_group_rule", "var", {"type": "ingress", "from_port": 22, "to_port": 22, "protocol": "tcp"}),
		{"unknown": {"cidr_blocks": true}},
	)
	vpc_rule := object.union(
		mock.resource("aws_vpc_security_group_ingress_rule", "var", {"ip_protocol": "tcp", "from_port": 22, "to_port": 22}),
		{"unknown": {"cidr_ipv4": true}},
	)
	count(open_ingress.deny) == 0 with input as mock.doc([sg, rule, vpc_rule])
}

test_unknown_element_beside_open_element if {
	sg := object.union(
		_sg("web", [_tcp(22, 22, [null, "0.0.0.0/0"])]),
		{"unknown": {"ingress": [{"cidr_blocks": [true, false]}]}},
	)
	open_ingress.deny == {{
		"resource": "aws_security_group.web",
		"attribute": "ingress.0.cidr_blocks.1",
		"message": "Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to TCP port 22 (SSH)",
		"severity": "critical",
	}} with input as mock.doc([sg])
}

test_data_source_is_not_reported if {
	sg := mock.data_source("aws_security_group", "existing", {"ingress": [_tcp(22, 22, ["0.0.0.0/0"])]})
	count(open_ingress.deny) == 0 with input as mock.doc([sg])
}

test_empty_document if {
	count(open_ingress.deny) == 0 with input as mock.doc([])
}

test_other_protocol_is_high if {
	ingress := {"from_port": 0, "to_port": 0, "protocol": "50", "cidr_blocks": ["0.0.0.0/0"]}
	open_ingress.deny == {{
		"resource": "aws_security_group.vpn",
		"attribute": "ingress.0.cidr_blocks.0",
		"message": "Security group rule aws_security_group.vpn ingress.0 allows 0.0.0.0/0 to protocol 50",
		"severity": "high",
	}} with input as mock.doc([_sg("vpn", [ingress])])
}

# ---------------------------------------------------------------------------
# Network ACLs and classic groups

test_nacl_allow_of_ssh_is_high_not_critical if {
	acl := mock.resource("aws_network_acl", "public", {"ingress": [{
		"rule_no": 100, "action": "allow", "protocol": "tcp",
		"from_port": 22, "to_port": 22, "cidr_block": "0.0.0.0/0",
	}]})
	open_ingress.deny == {{
		"resource": "aws_network_acl.public",
		"attribute": "ingress.0.cidr_block",
		"message": "Network ACL rule aws_network_acl.public ingress.0 allows 0.0.0.0/0 to TCP port 22 (SSH)",
		"severity": "high",
	}} with input as mock.doc([acl])
}

# An ACL is the second layer: an entry that opens less than every port is
# never more severe than one that opens every port (medium), unless it picks
# critical ports.
test_nacl_entries_that_pick_no_critical_port_are_medium if {
	acl := mock.resource("aws_network_acl", "public", {"ingress": [
		{"rule_no": 100, "action": "allow", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_block": "0.0.0.0/0"},
		{"rule_no": 110, "action": "allow", "protocol": "icmp", "from_port": 0, "to_port": 0, "icmp_type": 3, "icmp_code": 4, "cidr_block": "0.0.0.0/0"},
		{"rule_no": 120, "action": "allow", "protocol": "udp", "from_port": 1, "to_port": 65535, "ipv6_cidr_block": "::/0"},
	]})
	open_ingress.deny == {
		{
			"resource": "aws_network_acl.public",
			"attribute": "ingress.0.cidr_block",
			"message": "Network ACL rule aws_network_acl.public ingress.0 allows 0.0.0.0/0 to TCP port 443 (HTTPS)",
			"severity": "medium",
		},
		{
			"resource": "aws_network_acl.public",
			"attribute": "ingress.1.cidr_block",
			"message": "Network ACL rule aws_network_acl.public ingress.1 allows 0.0.0.0/0 to ICMP",
			"severity": "medium",
		},
		{
			"resource": "aws_network_acl.public",
			"attribute": "ingress.2.ipv6_cidr_block",
			"message": "Network ACL rule aws_network_acl.public ingress.2 allows ::/0 to UDP ports 1-65535 including 20 (FTP-data), 21 (FTP), 22 (SSH), 23 (Telnet), 111 (rpcbind), 135 (MSRPC) and 50 more sensitive ports",
			"severity": "medium",
		},
	} with input as mock.doc([acl])
}

# A stateless ACL must admit the replies to connections the subnet opens:
# AWS documents an inbound allow of TCP 1024-65535 from 0.0.0.0/0 for them.
# Such an entry ends at 65535 and starts at 1024 or above: medium.
test_nacl_return_traffic_entries_are_medium if {
	entries := [
		mock.cfn("InEphemeral", "AWS::EC2::NetworkAclEntry", {"RuleNumber": 120, "Protocol": 6, "RuleAction": "allow", "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 1024, "To": 65535}}),
		mock.cfn("InLinuxEphemeral", "AWS::EC2::NetworkAclEntry", {"RuleNumber": 130, "Protocol": 6, "RuleAction": "allow", "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 32768, "To": 65535}}),
	]
	{[f.resource, f.severity] | some f in open_ingress.deny} == {["InEphemeral", "medium"], ["InLinuxEphemeral", "medium"]} with input as mock.doc(entries)
}

test_nacl_range_below_the_ephemeral_ports_is_high if {
	entry := mock.cfn("InLow", "AWS::EC2::NetworkAclEntry", {"RuleNumber": 120, "Protocol": 6, "RuleAction": "allow", "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 1000, "To": 65535}})
	{[f.resource, f.severity] | some f in open_ingress.deny} == {["InLow", "high"]} with input as mock.doc([entry])
}

test_nacl_allow_after_a_deny_of_admin_ports_reports_what_is_left if {
	acl := mock.resource("aws_network_acl", "public", {"ingress": [
		{"rule_no": 90, "action": "deny", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_block": "0.0.0.0/0"},
		{"rule_no": 91, "action": "deny", "protocol": "tcp", "from_port": 3389, "to_port": 3389, "cidr_block": "0.0.0.0/0"},
		{"rule_no": 100, "action": "allow", "protocol": "tcp", "from_port": 1, "to_port": 5000, "cidr_block": "0.0.0.0/0"},
	]})
	open_ingress.deny == {{
		"resource": "aws_network_acl.public",
		"attribute": "ingress.2.cidr_block",
		"message": "Network ACL rule aws_network_acl.public ingress.2 allows 0.0.0.0/0 to TCP ports 1-21, 23-3388, 3390-5000 including 20 (FTP-data), 21 (FTP), 23 (Telnet), 111 (rpcbind), 135 (MSRPC), 137 (NetBIOS name) and 22 more sensitive ports (the rest is denied by a rule evaluated before it)",
		"severity": "high",
	}} with input as mock.doc([acl])
}

test_nacl_allow_of_https_behind_a_deny_of_everything_is_not_reported if {
	acl := mock.resource("aws_network_acl", "public", {"ingress": [
		{"rule_no": 1, "action": "deny", "protocol": "-1", "cidr_block": "0.0.0.0/0"},
		{"rule_no": 100, "action": "allow", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_block": "0.0.0.0/0"},
	]})
	open_ingress.deny == set() with input as mock.doc([acl])
}

test_cfn_nacl_entry_all_traffic if {
	entry := mock.cfn("InAll", "AWS::EC2::NetworkAclEntry", {"RuleNumber": 100, "Protocol": -1, "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"})
	open_ingress.deny == {{
		"resource": "InAll",
		"attribute": "CidrBlock",
		"message": "Network ACL rule InAll allows 0.0.0.0/0 to all traffic (protocol -1: every protocol, ports 0-65535)",
		"severity": "medium",
	}} with input as mock.doc([entry])
}

test_nacl_egress_entry_is_not_ingress if {
	entry := mock.cfn("OutAll", "AWS::EC2::NetworkAclEntry", {"RuleNumber": 100, "Protocol": -1, "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"})
	open_ingress.deny == set() with input as mock.doc([entry])
}

test_classic_db_security_group_open_to_internet if {
	db := mock.resource("aws_db_security_group", "legacy", {"name": "legacy", "ingress": [{"cidr": "0.0.0.0/0"}, {"cidr": "10.0.0.0/8"}]})
	open_ingress.deny == {{
		"resource": "aws_db_security_group.legacy",
		"attribute": "ingress.0.cidr",
		"message": "Classic security group rule aws_db_security_group.legacy ingress.0 allows 0.0.0.0/0 to the TCP port of the attached database",
		"severity": "critical",
	}} with input as mock.doc([db])
}

test_cfn_classic_db_security_group_ingress if {
	ingress := mock.cfn("LegacyIn", "AWS::RDS::DBSecurityGroupIngress", {"CIDRIP": "0.0.0.0/0", "DBSecurityGroupName": "legacy"})
	open_ingress.deny == {{
		"resource": "LegacyIn",
		"attribute": "CIDRIP",
		"message": "Classic security group rule LegacyIn allows 0.0.0.0/0 to the TCP port of the attached database",
		"severity": "critical",
	}} with input as mock.doc([ingress])
}

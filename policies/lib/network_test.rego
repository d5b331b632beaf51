package portcullis.lib.network_test

import data.portcullis.lib.mock_test as mock
import data.portcullis.lib.network

# ---------------------------------------------------------------------------
# Inline blocks

test_inline_ingress_full_shape if {
	sg := mock.resource("aws_security_group", "web", {
		"name": "web",
		"description": "web servers",
		"ingress": [{
			"description": "SSH from the office",
			"from_port": 22,
			"to_port": 22,
			"protocol": "tcp",
			"cidr_blocks": ["203.0.113.0/24", "0.0.0.0/0"],
			"ipv6_cidr_blocks": ["::/0"],
			"security_groups": ["sg-0123"],
			"prefix_list_ids": ["pl-0abc"],
			"self": true,
		}],
	})
	network.rules == {{
		"resource": "aws_security_group.web",
		"resource_type": "aws_security_group",
		"format": "terraform",
		"provider": "aws",
		"kind": "security_group",
		"direction": "ingress",
		"action": "allow",
		"enabled": true,
		"path": "ingress.0",
		"protects": "aws_security_group.web",
		"protects_attribute": "",
		"group": "aws_security_group.web",
		"group_attribute": "",
		"targets": [],
		"protocol": "tcp",
		"protocol_known": true,
		"all_protocols": false,
		"port_based": true,
		"ports_known": true,
		"ranges": [{"from": 22, "to": 22, "path": "ingress.0.from_port"}],
		"all_ports": false,
		"tags": [],
		"internet": [
			{"value": "0.0.0.0/0", "path": "ingress.0.cidr_blocks.1"},
			{"value": "::/0", "path": "ingress.0.ipv6_cidr_blocks.0"},
		],
		"service": "",
		"ipv4": [
			{"cidr": "203.0.113.0/24", "path": "ingress.0.cidr_blocks.0"},
			{"cidr": "0.0.0.0/0", "path": "ingress.0.cidr_blocks.1"},
		],
		"ipv6": [{"cidr": "::/0", "path": "ingress.0.ipv6_cidr_blocks.0"}],
		"cidrs_unknown": false,
		"source_groups": [{"path": "ingress.0.security_groups.0", "id": "sg-0123"}],
		"source_group_targets": [],
		"prefix_lists": [{"path": "ingress.0.prefix_list_ids.0", "id": "pl-0abc"}],
		"self": true,
		"description": "SSH from the office",
		"description_unknown": false,
		"description_path": "ingress.0.description",
	}} with input as mock.doc([sg])
}

test_inline_blocks_of_both_directions_and_default_group if {
	sg := mock.resource("aws_default_security_group", "default", {
		"ingress": [
			{"from_port": 0, "to_port": 0, "protocol": "-1", "self": true},
			{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]},
		],
		"egress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]}],
	})
	paths := {[r.resource, r.direction, r.path, r.group] | some r in network.rules} with input as mock.doc([sg])
	paths == {
		["aws_default_security_group.default", "ingress", "ingress.0", "aws_default_security_group.default"],
		["aws_default_security_group.default", "ingress", "ingress.1", "aws_default_security_group.default"],
		["aws_default_security_group.default", "egress", "egress.0", "aws_default_security_group.default"],
	}
	count(network.ingress) == 2 with input as mock.doc([sg])
	count(network.egress) == 1 with input as mock.doc([sg])
}

test_inline_all_protocols_means_all_ports if {
	sg := mock.resource("aws_security_group", "a", {"ingress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]}]})
	some r in network.rules with input as mock.doc([sg])
	r.all_protocols
	r.all_ports
	r.port_based
	r.ranges == [{"from": 0, "to": 65535, "path": ""}]
}

test_inline_protocol_all_spelling if {
	sg := mock.resource("aws_security_group", "a", {"ingress": [{"from_port": 0, "to_port": 0, "protocol": "all", "cidr_blocks": ["0.0.0.0/0"]}]})
	some r in network.rules with input as mock.doc([sg])
	r.protocol == "-1"
	r.all_ports
}

test_tcp_minus_one_ports_mean_every_port if {
	sg := mock.resource("aws_security_group", "a", {"ingress": [{"from_port": -1, "to_port": -1, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]})
	some r in network.rules with input as mock.doc([sg])
	[r.ranges, r.all_ports] == [[{"from": 0, "to": 65535, "path": "ingress.0.from_port"}], true]
}

test_tcp_full_range_is_all_ports if {
	sg := mock.resource("aws_security_group", "a", {"ingress": [{"from_port": 0, "to_port": 65535, "protocol": "6"}]})
	some r in network.rules with input as mock.doc([sg])
	[r.protocol, r.all_ports, r.all_protocols] == ["tcp", true, false]
}

# Port 0 is reserved: no TCP or UDP service listens on it, so 1-65535 opens
# every port as 0-65535 does (GCP rules often say "1-65535").
test_range_from_port_one_is_all_ports if {
	sg := mock.resource("aws_security_group", "a", {"ingress": [{"from_port": 1, "to_port": 65535, "protocol": "udp"}]})
	some r in network.rules with input as mock.doc([sg])
	[r.protocol, r.all_ports] == ["udp", true]
}

test_range_from_port_two_is_not_all_ports if {
	sg := mock.resource("aws_security_group", "a", {"ingress": [{"from_port": 2, "to_port": 65535, "protocol": "tcp"}]})
	some r in network.rules with input as mock.doc([sg])
	r.all_ports == false
}

test_icmp_has_no_ports if {
	sg := mock.resource("aws_security_group", "a", {"ingress": [{"from_port": 8, "to_port": 0, "protocol": "icmp"}]})
	some r in network.rules with input as mock.doc([sg])
	[r.protocol, r.port_based, r.ports_known, r.all_ports, r.ranges] == ["icmp", false, true, false, []]
}

test_string_ports_are_numbers if {
	sg := mock.resource("aws_security_group", "a", {"ingress": [{"from_port": "20", "to_port": "25", "protocol": "TCP"}]})
	some r in network.rules with input as mock.doc([sg])
	[r.protocol, r.ranges] == ["tcp", [{"from": 20, "to": 25, "path": "ingress.0.from_port"}]]
}

# ---------------------------------------------------------------------------
# Unknown values

test_unknown_cidr_element_is_dropped_and_flagged if {
	sg := object.union(
		mock.resource("aws_security_group", "a", {"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8", null]}]}),
		{"unknown": {"ingress": [{"cidr_blocks": [false, true]}]}},
	)
	some r in network.rules with input as mock.doc([sg])
	r.ipv4 == [{"cidr": "10.0.0.0/8", "path": "ingress.0.cidr_blocks.0"}]
	r.cidrs_unknown
}

test_unknown_cidr_attribute_is_flagged if {
	sg := object.union(
		mock.resource("aws_security_group", "a", {"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp"}]}),
		{"unknown": {"ingress": [{"cidr_blocks": true}]}},
	)
	some r in network.rules with input as mock.doc([sg])
	r.ipv4 == []
	r.cidrs_unknown
}

test_known_cidrs_are_not_flagged_unknown if {
	sg := mock.resource("aws_security_group", "a", {"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]}]})
	some r in network.rules with input as mock.doc([sg])
	not r.cidrs_unknown
}

test_unknown_ports if {
	rule := object.union(
		mock.resource("aws_security_group_rule", "a", {"type": "ingress", "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}),
		{"unknown": {"from_port": true}},
	)
	some r in network.rules with input as mock.doc([rule])
	not r.ports_known
	not r.all_ports
	not "from_port" in object.keys(r)
	not "to_port" in object.keys(r)
}

test_unknown_protocol if {
	rule := object.union(
		mock.resource("aws_security_group_rule", "a", {"type": "ingress", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}),
		{"unknown": {"protocol": true}},
	)
	some r in network.rules with input as mock.doc([rule])
	[r.protocol, r.protocol_known, r.all_protocols, r.port_based, r.ports_known] == ["", false, false, false, false]
}

test_unknown_description if {
	sg := object.union(
		mock.resource("aws_security_group", "a", {"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp"}]}),
		{"unknown": {"ingress": [{"description": true}]}},
	)
	some r in network.rules with input as mock.doc([sg])
	r.description_unknown
	not "description" in object.keys(r)
}

test_wholly_unknown_blocks_give_no_rules if {
	sg := object.union(mock.resource("aws_security_group", "a", {}), {"unknown": {"ingress": true}})
	count(network.rules) == 0 with input as mock.doc([sg])
}

test_unknown_peer_group_is_listed if {
	sg := object.union(
		mock.resource("aws_security_group", "a", {"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "security_groups": [null]}]}),
		{
			"unknown": {"ingress": [{"security_groups": [true]}]},
			"references": [mock.ref("ingress.0.security_groups", "aws_security_group.bastion")],
		},
	)
	some r in network.rules with input as mock.doc([sg])
	r.source_groups == [{"path": "ingress.0.security_groups.0"}]
	r.source_group_targets == ["aws_security_group.bastion"]
}

test_is_unknown if {
	unknown := {"ingress": [{"cidr_blocks": [false, true]}, true], "vpc_id": true}
	network.is_unknown(unknown, ["vpc_id"])
	network.is_unknown(unknown, ["ingress", 0, "cidr_blocks", 1])
	network.is_unknown(unknown, ["ingress", 1, "description"])
	not network.is_unknown(unknown, ["ingress", 0, "cidr_blocks", 0])
	not network.is_unknown(unknown, ["ingress", 0, "description"])
	not network.is_unknown(unknown, ["name"])
	not network.is_unknown(unknown, [])
	not network.is_unknown({}, ["vpc_id"])
}

# ---------------------------------------------------------------------------
# Standalone rules

test_security_group_rule if {
	rule := object.union(
		mock.resource("aws_security_group_rule", "ssh", {
			"type": "ingress",
			"from_port": 22,
			"to_port": 22,
			"protocol": "tcp",
			"cidr_blocks": ["0.0.0.0/0"],
			"ipv6_cidr_blocks": ["::/0"],
			"description": "SSH",
		}),
		{
			"unknown": {"security_group_id": true},
			"references": [mock.ref("security_group_id", "aws_security_group.web")],
		},
	)
	some r in network.rules with input as mock.doc([rule])
	[r.resource, r.direction, r.path, r.group, r.group_attribute] == ["aws_security_group_rule.ssh", "ingress", "", "aws_security_group.web", "security_group_id"]
	r.ipv4 == [{"cidr": "0.0.0.0/0", "path": "cidr_blocks.0"}]
	r.ipv6 == [{"cidr": "::/0", "path": "ipv6_cidr_blocks.0"}]
	[r.description, r.description_path] == ["SSH", "description"]
}

test_security_group_rule_source_group_and_self if {
	rule := object.union(
		mock.resource("aws_security_group_rule", "peer", {"type": "egress", "from_port": 5432, "to_port": 5432, "protocol": "tcp", "self": false}),
		{
			"unknown": {"source_security_group_id": true},
			"references": [mock.ref("source_security_group_id", "aws_security_group.db")],
		},
	)
	some r in network.rules with input as mock.doc([rule])
	r.direction == "egress"
	r.source_groups == [{"path": "source_security_group_id"}]
	r.source_group_targets == ["aws_security_group.db"]
	r.self == false
	r.group == ""
}

test_security_group_rule_unknown_type if {
	rule := object.union(
		mock.resource("aws_security_group_rule", "x", {"from_port": 22, "to_port": 22, "protocol": "tcp"}),
		{"unknown": {"type": true}},
	)
	some r in network.rules with input as mock.doc([rule])
	r.direction == ""
	count(network.ingress) == 0 with input as mock.doc([rule])
}

test_vpc_ingress_rule if {
	rule := object.union(
		mock.resource("aws_vpc_security_group_ingress_rule", "https", {
			"ip_protocol": "tcp",
			"from_port": 443,
			"to_port": 443,
			"cidr_ipv4": "0.0.0.0/0",
			"description": "HTTPS",
		}),
		{
			"unknown": {"security_group_id": true},
			"references": [mock.ref("security_group_id", "aws_security_group.lb")],
		},
	)
	some r in network.rules with input as mock.doc([rule])
	[r.direction, r.protects, r.protocol, r.ranges] == ["ingress", "aws_security_group.lb", "tcp", [{"from": 443, "to": 443, "path": "from_port"}]]
	r.ipv4 == [{"cidr": "0.0.0.0/0", "path": "cidr_ipv4"}]
	r.ipv6 == []
}

test_vpc_egress_rule_all_protocols_without_ports if {
	rule := mock.resource("aws_vpc_security_group_egress_rule", "all", {"ip_protocol": "-1", "cidr_ipv6": "::/0", "prefix_list_id": "pl-1"})
	some r in network.rules with input as mock.doc([rule])
	[r.direction, r.all_protocols, r.all_ports, r.ranges] == ["egress", true, true, [{"from": 0, "to": 65535, "path": ""}]]
	r.ipv6 == [{"cidr": "::/0", "path": "cidr_ipv6"}]
	r.prefix_lists == [{"path": "prefix_list_id", "id": "pl-1"}]
}

test_vpc_rule_referenced_group if {
	rule := object.union(
		mock.resource("aws_vpc_security_group_ingress_rule", "app", {"ip_protocol": "tcp", "from_port": 8080, "to_port": 8080}),
		{
			"unknown": {"referenced_security_group_id": true},
			"references": [mock.ref("referenced_security_group_id", "aws_security_group.lb")],
		},
	)
	some r in network.rules with input as mock.doc([rule])
	r.source_groups == [{"path": "referenced_security_group_id"}]
	r.source_group_targets == ["aws_security_group.lb"]
	r.ipv4 == []
	not r.cidrs_unknown
}

test_data_sources_are_ignored if {
	sg := mock.data_source("aws_security_group", "x", {"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]})
	count(network.rules) == 0 with input as mock.doc([sg])
}

# ---------------------------------------------------------------------------
# CloudFormation

test_cfn_inline if {
	sg := mock.cfn("WebSG", "AWS::EC2::SecurityGroup", {
		"GroupDescription": "web",
		"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIp": "0.0.0.0/0"}],
		"SecurityGroupEgress": [{"IpProtocol": -1, "CidrIpv6": "::/0", "Description": "all out"}],
	})
	rules := {[r.resource, r.direction, r.path, r.protocol, r.all_ports, r.ipv4, r.ipv6] | some r in network.rules} with input as mock.doc([sg])
	rules == {
		["WebSG", "ingress", "SecurityGroupIngress.0", "tcp", false, [{"cidr": "0.0.0.0/0", "path": "SecurityGroupIngress.0.CidrIp"}], []],
		["WebSG", "egress", "SecurityGroupEgress.0", "-1", true, [], [{"cidr": "::/0", "path": "SecurityGroupEgress.0.CidrIpv6"}]],
	}
}

test_cfn_standalone if {
	rule := object.union(
		mock.cfn("SSHIn", "AWS::EC2::SecurityGroupIngress", {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "SourcePrefixListId": "pl-9"}),
		{
			"unknown": {"GroupId": true},
			"references": [mock.ref("GroupId", "WebSG")],
		},
	)
	some r in network.rules with input as mock.doc([rule])
	[r.direction, r.group, r.group_attribute, r.path, r.format] == ["ingress", "WebSG", "GroupId", "", "cloudformation"]
	r.prefix_lists == [{"path": "SourcePrefixListId", "id": "pl-9"}]
}

# ---------------------------------------------------------------------------
# Labels

test_labels if {
	network.label({"resource": "aws_security_group.web", "path": "ingress.1", "protects": "aws_security_group.web"}) == "aws_security_group.web ingress.1"
	network.label({"resource": "aws_security_group_rule.ssh", "path": "", "protects": "aws_security_group.web"}) == "aws_security_group_rule.ssh on aws_security_group.web"
	network.label({"resource": "aws_security_group_rule.ssh", "path": "", "protects": ""}) == "aws_security_group_rule.ssh"
	network.label({"resource": "google_compute_firewall.f", "path": "", "protects": "google_compute_firewall.f"}) == "google_compute_firewall.f"
}

test_path if {
	network.path(["ingress", 0, "cidr_blocks", 1]) == "ingress.0.cidr_blocks.1"
	network.path([]) == ""
}

test_wholly_unknown_block_is_unknown_throughout if {
	sg := object.union(
		mock.resource("aws_security_group", "a", {"ingress": [{}]}),
		{"unknown": {"ingress": [true]}},
	)
	some r in network.rules with input as mock.doc([sg])
	[r.protocol_known, r.ports_known, r.cidrs_unknown, r.description_unknown] == [false, false, true, true]
	r.source_groups == [{"path": "ingress.0.security_groups"}]
	r.prefix_lists == [{"path": "ingress.0.prefix_list_ids"}]
}

test_peer_targets_from_element_references if {
	sg := object.union(
		mock.resource("aws_security_group", "a", {"ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "security_groups": ["sg-1", null]}]}),
		{
			"unknown": {"ingress": [{"security_groups": [false, true]}]},
			"references": [mock.ref("ingress.0.security_groups.1", "aws_security_group.b")],
		},
	)
	some r in network.rules with input as mock.doc([sg])
	r.source_groups == [{"path": "ingress.0.security_groups.0", "id": "sg-1"}, {"path": "ingress.0.security_groups.1"}]
	r.source_group_targets == ["aws_security_group.b"]
}

test_type_sets if {
	network.security_group_types == {"aws_security_group", "aws_default_security_group", "AWS::EC2::SecurityGroup"}
	network.security_group_types & network.group_types == network.security_group_types
	{
		"aws_security_group", "aws_default_security_group", "AWS::EC2::SecurityGroup",
		"aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
		"AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress",
		"aws_network_acl", "aws_default_network_acl", "aws_network_acl_rule", "AWS::EC2::NetworkAclEntry",
		"aws_db_security_group", "aws_redshift_security_group", "AWS::RDS::DBSecurityGroup",
		"AWS::RDS::DBSecurityGroupIngress", "AWS::Redshift::ClusterSecurityGroupIngress", "AWS::ElastiCache::SecurityGroupIngress",
	} - network.rule_types == set()
}

# A single nested block written as a JSON object in a .tf.json file is one
# block, at the attribute's own path.
test_inline_block_as_json_object if {
	sg := mock.resource("aws_security_group", "web", {
		"name": "web",
		"description": "web servers",
		"ingress": {
			"description": "SSH",
			"from_port": 22,
			"to_port": 22,
			"protocol": "tcp",
			"cidr_blocks": ["0.0.0.0/0"],
		},
	})
	[rule] := [r | some r in network.rules] with input as mock.doc([sg])
	rule.path == "ingress"
	rule.ipv4 == [{"cidr": "0.0.0.0/0", "path": "ingress.cidr_blocks.0"}]
	rule.description == "SSH"
}

package portcullis.lib.network_forms_test

import data.portcullis.lib.mock_test as mock
import data.portcullis.lib.network

# ---------------------------------------------------------------------------
# Network ACLs

_nacl(entries) := mock.resource("aws_network_acl", "public", {"vpc_id": "vpc-1", "ingress": entries})

_entry(no, action, from, to, cidr) := {
	"rule_no": no, "action": action, "protocol": "tcp",
	"from_port": from, "to_port": to, "cidr_block": cidr,
}

test_nacl_inline_entry_shape if {
	some r in network.rules with input as mock.doc([_nacl([_entry(100, "allow", 22, 22, "0.0.0.0/0")])])
	[r.kind, r.direction, r.action, r.priority, r.protects, r.path] == ["network_acl", "ingress", "allow", 100, "aws_network_acl.public", "ingress.0"]
	r.ranges == [{"from": 22, "to": 22, "path": "ingress.0.from_port"}]
	r.internet == [{"value": "0.0.0.0/0", "path": "ingress.0.cidr_block"}]
	r.description_path == ""
	not r.description
}

test_nacl_rule_resource if {
	rule := object.union(
		mock.resource("aws_network_acl_rule", "rdp", {
			"rule_number": 200, "egress": false, "protocol": "6", "rule_action": "Allow",
			"from_port": 3389, "to_port": 3389, "ipv6_cidr_block": "::/0",
		}),
		{"unknown": {"network_acl_id": true}, "references": [mock.ref("network_acl_id", "aws_network_acl.public")]},
	)
	some r in network.rules with input as mock.doc([rule])
	[r.kind, r.direction, r.action, r.priority, r.protects, r.protects_attribute, r.protocol] == ["network_acl", "ingress", "allow", 200, "aws_network_acl.public", "network_acl_id", "tcp"]
	r.internet == [{"value": "::/0", "path": "ipv6_cidr_block"}]
}

test_nacl_rule_egress_and_unknown_direction if {
	egress := mock.resource("aws_network_acl_rule", "out", {"rule_number": 100, "egress": true, "protocol": "-1", "rule_action": "allow", "cidr_block": "0.0.0.0/0"})
	unknown := object.union(mock.resource("aws_network_acl_rule", "u", {"rule_number": 100, "protocol": "-1", "rule_action": "allow"}), {"unknown": {"egress": true}})
	dirs := {[r.resource, r.direction] | some r in network.rules} with input as mock.doc([egress, unknown])
	dirs == {["aws_network_acl_rule.out", "egress"], ["aws_network_acl_rule.u", ""]}
}

test_cfn_nacl_entry if {
	entry := object.union(
		mock.cfn("InSSH", "AWS::EC2::NetworkAclEntry", {
			"RuleNumber": 100, "Protocol": 6, "RuleAction": "allow", "Egress": "false",
			"CidrBlock": "0.0.0.0/0", "PortRange": {"From": 22, "To": 22},
		}),
		{"references": [{"attribute": "NetworkAclId", "target": "PublicAcl", "target_attribute": "Ref"}]},
	)
	some r in network.rules with input as mock.doc([entry])
	[r.direction, r.action, r.priority, r.protects, r.protocol] == ["ingress", "allow", 100, "PublicAcl", "tcp"]
	r.ranges == [{"from": 22, "to": 22, "path": "PortRange.From"}]
	r.internet == [{"value": "0.0.0.0/0", "path": "CidrBlock"}]
}

test_nacl_unknown_action_and_priority if {
	acl := object.union(_nacl([{"protocol": "-1", "cidr_block": "0.0.0.0/0"}]), {"unknown": {"ingress": [{"action": true, "rule_no": true}]}})
	some r in network.rules with input as mock.doc([acl])
	r.action == ""
	not r.priority
}

# ---------------------------------------------------------------------------
# What an ordered list actually admits

_exposures(resources) := result if {
	exposures := network.open_ingress with input as mock.doc(resources)
	result := {[e.rule.path, e.peer.value, e.ranges] | some e in exposures}
}

test_nacl_deny_with_lower_number_shadows_a_later_allow if {
	_exposures([_nacl([
		_entry(100, "deny", 22, 22, "0.0.0.0/0"),
		_entry(200, "allow", 0, 65535, "0.0.0.0/0"),
	])]) == {["ingress.1", "0.0.0.0/0", [{"from": 0, "to": 21}, {"from": 23, "to": 65535}]]}
}

test_nacl_deny_with_higher_number_does_not_shadow if {
	_exposures([_nacl([
		_entry(300, "deny", 22, 22, "0.0.0.0/0"),
		_entry(200, "allow", 22, 22, "0.0.0.0/0"),
	])]) == {["ingress.1", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

test_nacl_deny_of_everything_shadows_completely if {
	_exposures([_nacl([
		{"rule_no": 1, "action": "deny", "protocol": "-1", "cidr_block": "0.0.0.0/0"},
		_entry(200, "allow", 22, 22, "0.0.0.0/0"),
	])]) == set()
}

test_nacl_deny_of_a_narrower_source_does_not_shadow if {
	_exposures([_nacl([
		_entry(100, "deny", 22, 22, "198.51.100.0/24"),
		_entry(200, "allow", 22, 22, "0.0.0.0/0"),
	])]) == {["ingress.1", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

test_nacl_ipv4_deny_does_not_shadow_ipv6 if {
	_exposures([_nacl([
		_entry(100, "deny", 22, 22, "0.0.0.0/0"),
		{"rule_no": 200, "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22, "ipv6_cidr_block": "::/0"},
	])]) == {["ingress.1", "::/0", [{"from": 22, "to": 22}]]}
}

test_nacl_udp_deny_does_not_shadow_tcp if {
	deny := object.union(_entry(100, "deny", 22, 22, "0.0.0.0/0"), {"protocol": "udp"})
	_exposures([_nacl([deny, _entry(200, "allow", 22, 22, "0.0.0.0/0")])]) == {["ingress.1", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

test_nacl_rules_of_another_acl_do_not_shadow if {
	other := mock.resource("aws_network_acl", "other", {"ingress": [_entry(100, "deny", 0, 65535, "0.0.0.0/0")]})
	_exposures([other, _nacl([_entry(200, "allow", 22, 22, "0.0.0.0/0")])]) == {["ingress.0", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

# A deny that may not exist never hides an allow: one generated by a dynamic
# block whose for_each is unknown, or the representative instance of a count
# or for_each that is unknown.
test_nacl_deny_that_may_not_exist_does_not_shadow if {
	acl := object.union(
		_nacl([
			{"rule_no": 50, "action": "deny", "protocol": "-1", "cidr_block": "0.0.0.0/0"},
			_entry(100, "allow", 22, 22, "0.0.0.0/0"),
		]),
		{"meta": {"dynamic_unknown": ["ingress.0"]}},
	)
	_exposures([acl]) == {["ingress.1", "0.0.0.0/0", [{"from": 22, "to": 22}]]}

	maybe := object.union(
		mock.resource("aws_network_acl_rule", "deny", {"rule_number": 50, "egress": false, "protocol": "-1", "rule_action": "deny", "cidr_block": "0.0.0.0/0"}),
		{
			"address": "aws_network_acl_rule.deny[*]",
			"meta": {"expansion": "unknown"},
			"unknown": {"network_acl_id": true},
			"references": [mock.ref("network_acl_id", "aws_network_acl.public")],
		},
	)
	_exposures([_nacl([_entry(100, "allow", 22, 22, "0.0.0.0/0")]), maybe]) == {["ingress.0", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

test_cfn_deny_entry_whose_condition_is_unknown_does_not_shadow if {
	acl := {"references": [{"attribute": "NetworkAclId", "target": "PublicAcl", "target_attribute": "Ref"}]}
	deny := object.union(
		mock.cfn("DenyAll", "AWS::EC2::NetworkAclEntry", {"RuleNumber": 50, "Protocol": -1, "RuleAction": "deny", "CidrBlock": "0.0.0.0/0"}),
		object.union(acl, {"meta": {"condition": "LockDown", "condition_unknown": true}}),
	)
	allow := object.union(
		mock.cfn("InSSH", "AWS::EC2::NetworkAclEntry", {"RuleNumber": 100, "Protocol": 6, "RuleAction": "allow", "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 22, "To": 22}}),
		acl,
	)
	_exposures([deny, allow]) == {["", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

test_deny_rules_are_not_exposures if {
	_exposures([_nacl([_entry(100, "deny", 22, 22, "0.0.0.0/0")])]) == set()
}

test_security_groups_are_never_shadowed if {
	sg := mock.resource("aws_security_group", "a", {"ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]})
	_exposures([sg]) == {["ingress.0", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

test_subtract if {
	network.subtract([{"from": 0, "to": 100}], [{"from": 10, "to": 20}, {"from": 15, "to": 30}, {"from": 90, "to": 200}]) == [{"from": 0, "to": 9}, {"from": 31, "to": 89}]
	network.subtract([{"from": 22, "to": 22}], [{"from": 0, "to": 65535}]) == []
	network.subtract([{"from": 22, "to": 22}, {"from": 80, "to": 80}], []) == [{"from": 22, "to": 22}, {"from": 80, "to": 80}]
	network.subtract([{"from": 0, "to": 10}], [{"from": 0, "to": 0}, {"from": 10, "to": 10}]) == [{"from": 1, "to": 9}]
}

# ---------------------------------------------------------------------------
# Classic groups

test_db_security_group_ingress if {
	db := mock.resource("aws_db_security_group", "legacy", {"name": "legacy", "ingress": [{"cidr": "0.0.0.0/0"}, {"security_group_name": "app"}]})
	rs := {[r.path, r.kind, r.service, r.protocol, r.ports_known, r.internet] | some r in network.rules} with input as mock.doc([db])
	rs == {
		["ingress.0", "classic_group", "database", "tcp", false, [{"value": "0.0.0.0/0", "path": "ingress.0.cidr"}]],
		["ingress.1", "classic_group", "database", "tcp", false, []],
	}
}

test_redshift_security_group_ingress if {
	rs := mock.resource("aws_redshift_security_group", "legacy", {"name": "legacy", "ingress": [{"cidr": "0.0.0.0/0"}]})
	some r in network.rules with input as mock.doc([rs])
	[r.service, r.internet] == ["data warehouse", [{"value": "0.0.0.0/0", "path": "ingress.0.cidr"}]]
}

test_cfn_classic_forms if {
	group := mock.cfn("LegacyDB", "AWS::RDS::DBSecurityGroup", {"GroupDescription": "legacy", "DBSecurityGroupIngress": [{"CIDRIP": "0.0.0.0/0"}]})
	ingress := object.union(mock.cfn("RedshiftIn", "AWS::Redshift::ClusterSecurityGroupIngress", {"CIDRIP": "0.0.0.0/0"}), {"references": [{"attribute": "ClusterSecurityGroupName", "target": "Legacy", "target_attribute": "Ref"}]})
	rs := {[r.resource, r.path, r.service, r.protects, r.direction] | some r in network.rules} with input as mock.doc([group, ingress])
	rs == {
		["LegacyDB", "DBSecurityGroupIngress.0", "database", "LegacyDB", "ingress"],
		["RedshiftIn", "", "data warehouse", "Legacy", "ingress"],
	}
}

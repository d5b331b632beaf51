package portcullis.lib.network_azure_test

import data.portcullis.lib.mock_test as mock
import data.portcullis.lib.network

# ---------------------------------------------------------------------------
# Helpers

_nsg_address := "azurerm_network_security_group.nsg"

_nsg(rules) := mock.resource("azurerm_network_security_group", "nsg", {
	"name": "nsg",
	"location": "westeurope",
	"resource_group_name": "rg",
	"security_rule": rules,
})

# _inbound(overrides) is an inline rule: inbound TCP 22 from anywhere unless
# overridden.
_inbound(overrides) := object.union(
	{
		"name": "ssh",
		"priority": 100,
		"direction": "Inbound",
		"access": "Allow",
		"protocol": "Tcp",
		"source_port_range": "*",
		"destination_port_range": "22",
		"source_address_prefix": "*",
		"destination_address_prefix": "*",
	},
	overrides,
)

_outbound(overrides) := _inbound(object.union({"direction": "Outbound"}, overrides))

# _standalone(name, values, nsg) is an azurerm_network_security_rule joined to
# nsg through the edge of network_security_group_name ("" for no edge).
_standalone(name, values, "") := mock.resource("azurerm_network_security_rule", name, object.union(
	{"network_security_group_name": "nsg", "resource_group_name": "rg"},
	values,
))

_standalone(name, values, nsg) := object.union(
	mock.resource("azurerm_network_security_rule", name, object.union({"resource_group_name": "rg"}, values)),
	{"unknown": {"network_security_group_name": true}, "references": [mock.ref("network_security_group_name", nsg)]},
) if nsg != ""

_rules(resources) := rs if {
	rs := {r | some r in network.rules} with input as mock.doc(resources)
}

# _rule(block) is the single normalised element of an NSG with that one
# inline block.
_rule(block) := r if {
	[r] := [x | some x in _rules([_nsg([block])])]
}

# _rule_unknown(block, unknown) is the same with an unknown subtree for the
# block.
_rule_unknown(block, unknown) := r if {
	nsg := object.union(_nsg([block]), {"unknown": {"security_rule": [unknown]}})
	[r] := [x | some x in _rules([nsg])]
}

_fields(r, keys) := {k: r[k] | some k in keys}

# ---------------------------------------------------------------------------
# The whole element

test_inline_rule_element if {
	r := _rule(_inbound({"description": "SSH from anywhere", "destination_port_ranges": ["2222", "8000-8100"]}))
	r == {
		"resource": _nsg_address,
		"resource_type": "azurerm_network_security_group",
		"format": "terraform",
		"provider": "azure",
		"kind": "nsg",
		"direction": "ingress",
		"action": "allow",
		"enabled": true,
		"priority": 100,
		"path": "security_rule.0",
		"protects": _nsg_address,
		"protects_attribute": "",
		"group": _nsg_address,
		"group_attribute": "",
		"targets": [],
		"protocol": "tcp",
		"protocol_known": true,
		"all_protocols": false,
		"port_based": true,
		"ports_known": true,
		"ranges": [
			{"from": 22, "to": 22, "path": "security_rule.0.destination_port_range"},
			{"from": 2222, "to": 2222, "path": "security_rule.0.destination_port_ranges.0"},
			{"from": 8000, "to": 8100, "path": "security_rule.0.destination_port_ranges.1"},
		],
		"all_ports": false,
		"ipv4": [],
		"ipv6": [],
		"tags": [{"tag": "*", "path": "security_rule.0.source_address_prefix"}],
		"internet": [{"value": "*", "path": "security_rule.0.source_address_prefix"}],
		"cidrs_unknown": false,
		"source_groups": [],
		"source_group_targets": [],
		"prefix_lists": [],
		"self": false,
		"service": "",
		"description": "SSH from anywhere",
		"description_unknown": false,
		"description_path": "security_rule.0.description",
	}
}

test_standalone_rule_element if {
	rule := _standalone(
		"https", {
			"priority": 200,
			"direction": "Outbound",
			"access": "Deny",
			"protocol": "*",
			"source_port_range": "*",
			"destination_port_range": "*",
			"source_address_prefix": "VirtualNetwork",
			"destination_address_prefixes": ["Internet", "203.0.113.7", "2001:db8::/32"],
		},
		_nsg_address,
	)
	[r] := [x | some x in _rules([rule])]
	r == {
		"resource": "azurerm_network_security_rule.https",
		"resource_type": "azurerm_network_security_rule",
		"format": "terraform",
		"provider": "azure",
		"kind": "nsg",
		"direction": "egress",
		"action": "deny",
		"enabled": true,
		"priority": 200,
		"path": "",
		"protects": _nsg_address,
		"protects_attribute": "network_security_group_name",
		"group": _nsg_address,
		"group_attribute": "network_security_group_name",
		"targets": [],
		"protocol": "-1",
		"protocol_known": true,
		"all_protocols": true,
		"port_based": true,
		"ports_known": true,
		"ranges": [{"from": 0, "to": 65535, "path": "destination_port_range"}],
		"all_ports": true,
		"ipv4": [{"cidr": "203.0.113.7/32", "path": "destination_address_prefixes.1"}],
		"ipv6": [{"cidr": "2001:db8::/32", "path": "destination_address_prefixes.2"}],
		"tags": [{"tag": "Internet", "path": "destination_address_prefixes.0"}],
		"internet": [{"value": "Internet", "path": "destination_address_prefixes.0"}],
		"cidrs_unknown": false,
		"source_groups": [],
		"source_group_targets": [],
		"prefix_lists": [],
		"self": false,
		"service": "",
		"description_unknown": false,
		"description_path": "description",
	}
}

test_rule_types if {
	{"azurerm_network_security_group", "azurerm_network_security_rule"} - network.rule_types == set()
}

# ---------------------------------------------------------------------------
# Direction, access, priority

test_direction_and_access if {
	_fields(_rule(_inbound({})), ["direction", "action"]) == {"direction": "ingress", "action": "allow"}
	_fields(_rule(_outbound({"access": "Deny"})), ["direction", "action"]) == {"direction": "egress", "action": "deny"}
	_fields(_rule(_inbound({"direction": " inbound ", "access": "ALLOW"})), ["direction", "action"]) == {"direction": "ingress", "action": "allow"}
	_fields(_rule(_inbound({"direction": "Sideways", "access": "Maybe"})), ["direction", "action"]) == {"direction": "", "action": ""}
	_fields(_rule(object.remove(_inbound({}), ["direction", "access"])), ["direction", "action"]) == {"direction": "", "action": ""}
	_fields(_rule_unknown(object.remove(_inbound({}), ["direction", "access"]), {"direction": true, "access": true}), ["direction", "action"]) == {"direction": "", "action": ""}
}

test_priority if {
	_rule(_inbound({"priority": 4096})).priority == 4096
	_rule(_inbound({"priority": "310"})).priority == 310
	not _rule(object.remove(_inbound({}), ["priority"])).priority
	not _rule_unknown(object.remove(_inbound({}), ["priority"]), {"priority": true}).priority
}

# ---------------------------------------------------------------------------
# Protocols and ports

_proto(p, ports) := _fields(_rule(_inbound({"protocol": p, "destination_port_range": ports})), ["protocol", "all_protocols", "port_based", "ports_known", "ranges", "all_ports"])

test_protocols if {
	_proto("Tcp", "22") == {"protocol": "tcp", "all_protocols": false, "port_based": true, "ports_known": true, "ranges": [{"from": 22, "to": 22, "path": "security_rule.0.destination_port_range"}], "all_ports": false}
	_proto("Udp", "*") == {"protocol": "udp", "all_protocols": false, "port_based": true, "ports_known": true, "ranges": [{"from": 0, "to": 65535, "path": "security_rule.0.destination_port_range"}], "all_ports": true}
	_proto("Icmp", "*") == {"protocol": "icmp", "all_protocols": false, "port_based": false, "ports_known": true, "ranges": [], "all_ports": false}
	_proto("Esp", "*") == {"protocol": "esp", "all_protocols": false, "port_based": false, "ports_known": true, "ranges": [], "all_ports": false}
	_proto("Ah", "*") == {"protocol": "ah", "all_protocols": false, "port_based": false, "ports_known": true, "ranges": [], "all_ports": false}
	_proto("*", "*") == {"protocol": "-1", "all_protocols": true, "port_based": true, "ports_known": true, "ranges": [{"from": 0, "to": 65535, "path": "security_rule.0.destination_port_range"}], "all_ports": true}
}

# A "*" rule keeps its port ranges: it opens those ports of TCP and UDP, not
# every port.
test_every_protocol_on_some_ports if {
	_proto("*", "3389") == {"protocol": "-1", "all_protocols": true, "port_based": true, "ports_known": true, "ranges": [{"from": 3389, "to": 3389, "path": "security_rule.0.destination_port_range"}], "all_ports": false}
}

test_unknown_or_missing_protocol if {
	r := _rule_unknown(object.remove(_inbound({}), ["protocol"]), {"protocol": true})
	_fields(r, ["protocol", "protocol_known", "port_based", "ranges"]) == {"protocol": "", "protocol_known": false, "port_based": false, "ranges": [{"from": 22, "to": 22, "path": "security_rule.0.destination_port_range"}]}
	_rule(object.remove(_inbound({}), ["protocol"])).protocol_known == false
}

_ports(block) := [_rule(block).ports_known, [[x.from, x.to, x.path] | some x in _rule(block).ranges]]

test_port_ranges if {
	_ports(_inbound({"destination_port_range": "1000-2000"})) == [true, [[1000, 2000, "security_rule.0.destination_port_range"]]]
	_ports(_inbound({"destination_port_range": " 1000 - 2000 "})) == [true, [[1000, 2000, "security_rule.0.destination_port_range"]]]
	_ports(_inbound({"destination_port_range": 8080})) == [true, [[8080, 8080, "security_rule.0.destination_port_range"]]]

	# A list, in the order written.
	list := object.remove(_inbound({"destination_port_ranges": ["443", "80", "8000-8999"]}), ["destination_port_range"])
	_ports(list) == [true, [
		[443, 443, "security_rule.0.destination_port_ranges.0"],
		[80, 80, "security_rule.0.destination_port_ranges.1"],
		[8000, 8999, "security_rule.0.destination_port_ranges.2"],
	]]
}

test_every_port_in_a_list if {
	list := object.remove(_inbound({"destination_port_ranges": ["0-1000", "1001-65535"]}), ["destination_port_range"])
	_rule(list).all_ports
}

test_ports_that_cannot_be_read if {
	no_ranges := [false, []]

	# Unknown attribute.
	_ports_unknown(object.remove(_inbound({}), ["destination_port_range"]), {"destination_port_range": true}) == no_ranges
	_ports_unknown(_inbound({"destination_port_ranges": ["80"]}), {"destination_port_ranges": true}) == no_ranges

	# Unknown element of the list.
	_ports_unknown(object.remove(_inbound({"destination_port_ranges": ["80", null]}), ["destination_port_range"]), {"destination_port_ranges": [false, true]}) == no_ranges

	# Not a port, a range or "*".
	_ports(_inbound({"destination_port_range": "ssh"})) == no_ranges
	_ports(_inbound({"destination_port_range": "-1"})) == no_ranges

	# Nothing written.
	_ports(object.remove(_inbound({}), ["destination_port_range"])) == no_ranges
}

_ports_unknown(block, unknown) := [r.ports_known, [[x.from, x.to, x.path] | some x in r.ranges]] if {
	r := _rule_unknown(block, unknown)
}

# A plan holds every attribute of an inline block; unset strings are "" and
# unset lists [].
test_plan_form_of_an_inline_block if {
	block := {
		"access": "Allow",
		"description": "",
		"destination_address_prefix": "*",
		"destination_address_prefixes": [],
		"destination_application_security_group_ids": [],
		"destination_port_range": "",
		"destination_port_ranges": ["22", "3389"],
		"direction": "Inbound",
		"name": "admin",
		"priority": 100,
		"protocol": "Tcp",
		"source_address_prefix": "",
		"source_address_prefixes": ["198.51.100.0/24", "Internet"],
		"source_application_security_group_ids": [],
		"source_port_range": "*",
		"source_port_ranges": [],
	}
	nsg := object.union(_nsg([block]), {"format": "terraform-plan"})
	[r] := [x | some x in _rules([nsg])]
	_fields(r, ["format", "ranges", "ipv4", "tags", "targets", "source_groups", "description"]) == {
		"format": "terraform-plan",
		"ranges": [
			{"from": 22, "to": 22, "path": "security_rule.0.destination_port_ranges.0"},
			{"from": 3389, "to": 3389, "path": "security_rule.0.destination_port_ranges.1"},
		],
		"ipv4": [{"cidr": "198.51.100.0/24", "path": "security_rule.0.source_address_prefixes.0"}],
		"tags": [{"tag": "Internet", "path": "security_rule.0.source_address_prefixes.1"}],
		"targets": [],
		"source_groups": [],
		"description": "",
	}
}

# ---------------------------------------------------------------------------
# Remote peers

_remote(block) := _fields(_rule(block), ["ipv4", "ipv6", "tags", "internet", "cidrs_unknown"])

test_service_tags_and_addresses if {
	sources := ["*", "Internet", "Any", "VirtualNetwork", "AzureLoadBalancer", "Storage.WestEurope", "0.0.0.0/0", "::/0", "10.0.0.0/8", "203.0.113.7", "2001:db8::1", "10.0.0.300"]
	block := object.remove(_inbound({"source_address_prefixes": sources}), ["source_address_prefix"])
	p := "security_rule.0.source_address_prefixes"
	_remote(block) == {
		"ipv4": [
			{"cidr": "0.0.0.0/0", "path": sprintf("%s.6", [p])},
			{"cidr": "10.0.0.0/8", "path": sprintf("%s.8", [p])},
			{"cidr": "203.0.113.7/32", "path": sprintf("%s.9", [p])},
		],
		"ipv6": [
			{"cidr": "::/0", "path": sprintf("%s.7", [p])},
			{"cidr": "2001:db8::1/128", "path": sprintf("%s.10", [p])},
		],
		"tags": [
			{"tag": "*", "path": sprintf("%s.0", [p])},
			{"tag": "Internet", "path": sprintf("%s.1", [p])},
			{"tag": "Any", "path": sprintf("%s.2", [p])},
			{"tag": "VirtualNetwork", "path": sprintf("%s.3", [p])},
			{"tag": "AzureLoadBalancer", "path": sprintf("%s.4", [p])},
			{"tag": "Storage.WestEurope", "path": sprintf("%s.5", [p])},
			{"tag": "10.0.0.300", "path": sprintf("%s.11", [p])},
		],
		"internet": [
			{"value": "0.0.0.0/0", "path": sprintf("%s.6", [p])},
			{"value": "::/0", "path": sprintf("%s.7", [p])},
			{"value": "*", "path": sprintf("%s.0", [p])},
			{"value": "Internet", "path": sprintf("%s.1", [p])},
			{"value": "Any", "path": sprintf("%s.2", [p])},
		],
		"cidrs_unknown": false,
	}
}

test_lower_case_internet_tag if {
	_rule(_inbound({"source_address_prefix": "internet"})).internet == [{"value": "internet", "path": "security_rule.0.source_address_prefix"}]
}

test_scalar_and_list_together if {
	block := _inbound({"source_address_prefix": "10.1.0.0/16", "source_address_prefixes": ["10.2.0.0/16"]})
	_rule(block).ipv4 == [
		{"cidr": "10.1.0.0/16", "path": "security_rule.0.source_address_prefix"},
		{"cidr": "10.2.0.0/16", "path": "security_rule.0.source_address_prefixes.0"},
	]
}

# Inbound rules read the source, outbound rules the destination.
test_remote_side_follows_direction if {
	inbound := _inbound({"source_address_prefix": "10.0.0.0/8", "destination_address_prefix": "Internet"})
	_remote(inbound) == {"ipv4": [{"cidr": "10.0.0.0/8", "path": "security_rule.0.source_address_prefix"}], "ipv6": [], "tags": [], "internet": [], "cidrs_unknown": false}

	outbound := _outbound({"source_address_prefix": "10.0.0.0/8", "destination_address_prefix": "Internet"})
	_remote(outbound) == {
		"ipv4": [], "ipv6": [],
		"tags": [{"tag": "Internet", "path": "security_rule.0.destination_address_prefix"}],
		"internet": [{"value": "Internet", "path": "security_rule.0.destination_address_prefix"}],
		"cidrs_unknown": false,
	}
}

test_unknown_direction_has_no_peers if {
	r := _rule(_inbound({"direction": "Sideways", "source_address_prefix": "Internet"}))
	[r.ipv4, r.tags, r.internet, r.targets] == [[], [], [], []]
}

test_unknown_addresses if {
	# The scalar is unknown.
	a := _rule_unknown(object.remove(_inbound({}), ["source_address_prefix"]), {"source_address_prefix": true})
	[a.cidrs_unknown, a.internet] == [true, []]

	# One element of the list is unknown.
	b := _rule_unknown(
		object.remove(_inbound({"source_address_prefixes": ["10.0.0.0/8", null]}), ["source_address_prefix"]),
		{"source_address_prefixes": [false, true]},
	)
	[b.cidrs_unknown, b.ipv4, b.internet] == [true, [{"cidr": "10.0.0.0/8", "path": "security_rule.0.source_address_prefixes.0"}], []]

	# The destination of an inbound rule is not a remote address.
	c := _rule_unknown(object.remove(_inbound({}), ["destination_address_prefix"]), {"destination_address_prefix": true})
	c.cidrs_unknown == false
}

test_application_security_groups if {
	block := object.remove(_inbound({"source_application_security_group_ids": ["asg-1", null]}), ["source_address_prefix"])
	nsg := object.union(_nsg([block]), {
		"unknown": {"security_rule": [{"source_application_security_group_ids": [false, true]}]},
		"references": [mock.ref("security_rule.0.source_application_security_group_ids.1", "azurerm_application_security_group.jump")],
	})
	[r] := [x | some x in _rules([nsg])]
	_fields(r, ["source_groups", "source_group_targets", "internet", "cidrs_unknown"]) == {
		"source_groups": [
			{"path": "security_rule.0.source_application_security_group_ids.0", "id": "asg-1"},
			{"path": "security_rule.0.source_application_security_group_ids.1"},
		],
		"source_group_targets": ["azurerm_application_security_group.jump"],
		"internet": [],
		"cidrs_unknown": false,
	}
}

test_unknown_application_security_group_list if {
	block := object.remove(_inbound({}), ["source_address_prefix"])
	r := _rule_unknown(block, {"source_application_security_group_ids": true})
	r.source_groups == [{"path": "security_rule.0.source_application_security_group_ids"}]
}

# ---------------------------------------------------------------------------
# Targets: what narrows the traffic a rule applies to

_targets(block) := _rule(block).targets

test_local_side_every_address_is_no_target if {
	_targets(_inbound({"destination_address_prefix": "*"})) == []
	_targets(_inbound({"destination_address_prefix": "Any"})) == []
	_targets(_inbound({"destination_address_prefix": "VirtualNetwork"})) == []
	_targets(_inbound({"destination_address_prefix": "0.0.0.0/0"})) == []
	_targets(_outbound({"source_address_prefix": "VirtualNetwork", "destination_address_prefix": "Internet"})) == []
}

test_narrow_local_side_is_a_target if {
	_targets(_inbound({"destination_address_prefix": "10.0.1.4"})) == [{"value": "10.0.1.4", "path": "security_rule.0.destination_address_prefix"}]
	_targets(_inbound({"destination_address_prefix": "AzureLoadBalancer"})) == [{"value": "AzureLoadBalancer", "path": "security_rule.0.destination_address_prefix"}]
	_targets(_outbound({"source_address_prefix": "10.0.1.0/24", "destination_address_prefix": "Internet"})) == [{"value": "10.0.1.0/24", "path": "security_rule.0.source_address_prefix"}]

	asg := object.remove(_inbound({"destination_application_security_group_ids": ["asg-web"]}), ["destination_address_prefix"])
	_targets(asg) == [{"value": "asg-web", "path": "security_rule.0.destination_application_security_group_ids.0"}]
}

test_source_ports_are_targets if {
	_targets(_inbound({"source_port_range": "0-65535"})) == []
	_targets(_inbound({"source_port_range": "1024-65535"})) == [{"value": "1024-65535", "path": "security_rule.0.source_port_range"}]
	list := object.remove(_inbound({"source_port_ranges": ["53", "*"]}), ["source_port_range"])
	_targets(list) == [{"value": "53", "path": "security_rule.0.source_port_ranges.0"}]
	_targets(_inbound({"source_port_range": 443})) == [{"value": "443", "path": "security_rule.0.source_port_range"}]
}

test_unknown_local_side_is_a_target if {
	r := _rule_unknown(object.remove(_inbound({}), ["destination_address_prefix"]), {"destination_address_prefix": true})
	r.targets == [{"value": "", "path": "security_rule.0.destination_address_prefix"}]
}

# ---------------------------------------------------------------------------
# Descriptions

test_descriptions if {
	_fields(_rule(_inbound({"description": "SSH from the office"})), ["description", "description_unknown"]) == {"description": "SSH from the office", "description_unknown": false}
	_fields(_rule(_inbound({"description": "  "})), ["description", "description_path"]) == {"description": "  ", "description_path": "security_rule.0.description"}
	missing := _rule(_inbound({}))
	not missing.description
	missing.description_unknown == false
	unknown := _rule_unknown(_inbound({}), {"description": true})
	not unknown.description
	unknown.description_unknown == true
}

# ---------------------------------------------------------------------------
# Forms

test_several_inline_blocks if {
	rs := _rules([_nsg([_inbound({}), _outbound({"name": "out", "priority": 110})])])
	{[r.path, r.direction] | some r in rs} == {["security_rule.0", "ingress"], ["security_rule.1", "egress"]}
}

test_single_block_as_json_object if {
	rs := _rules([mock.resource("azurerm_network_security_group", "nsg", {"security_rule": _inbound({})})])
	{[r.path, r.ranges] | some r in rs} == {["security_rule", [{"from": 22, "to": 22, "path": "security_rule.destination_port_range"}]]}
}

test_nsg_without_rules_has_none if {
	_rules([mock.resource("azurerm_network_security_group", "nsg", {"name": "nsg"})]) == set()
	_rules([_nsg([])]) == set()
}

test_whole_rule_list_unknown if {
	nsg := object.union(mock.resource("azurerm_network_security_group", "nsg", {"name": "nsg"}), {"unknown": {"security_rule": true}})
	_rules([nsg]) == set()
}

test_standalone_rule_without_edge if {
	rule := _standalone("ssh", object.remove(_inbound({}), ["name"]), "")
	[r] := [x | some x in _rules([rule])]
	_fields(r, ["protects", "protects_attribute", "path", "description_path"]) == {
		"protects": "", "protects_attribute": "network_security_group_name",
		"path": "", "description_path": "description",
	}
}

test_data_source_is_not_a_rule if {
	_rules([mock.data_source("azurerm_network_security_group", "nsg", {"security_rule": [_inbound({})]})]) == set()
}

# ---------------------------------------------------------------------------
# What an NSG actually admits: lower priorities are evaluated first

_exposures(resources) := result if {
	exposures := network.open_ingress with input as mock.doc(resources)
	result := {[e.rule.resource, e.rule.path, e.peer.value, e.ranges] | some e in exposures}
}

_every(overrides) := _inbound(object.union({"name": "all", "priority": 200, "protocol": "*", "destination_port_range": "*"}, overrides))

test_deny_of_a_port_shadows_that_port_of_a_later_allow if {
	_exposures([_nsg([
		_inbound({"name": "deny-ssh", "access": "Deny", "protocol": "*"}),
		_every({}),
	])]) == {[_nsg_address, "security_rule.1", "*", [{"from": 0, "to": 21}, {"from": 23, "to": 65535}]]}
}

test_deny_from_internet_shadows_a_later_allow if {
	_exposures([_nsg([
		_inbound({"name": "deny-all", "access": "Deny", "protocol": "*", "destination_port_range": "*", "source_address_prefix": "Internet"}),
		_inbound({"name": "allow-ssh", "priority": 200, "source_address_prefix": "Internet"}),
	])]) == set()
}

test_deny_evaluated_later_does_not_shadow if {
	_exposures([_nsg([
		_inbound({"name": "deny-all", "priority": 300, "access": "Deny", "protocol": "*", "destination_port_range": "*"}),
		_inbound({"name": "allow-ssh", "priority": 200}),
	])]) == {[_nsg_address, "security_rule.1", "*", [{"from": 22, "to": 22}]]}
}

test_tcp_deny_does_not_shadow_udp_of_an_every_protocol_allow if {
	_exposures([_nsg([
		_inbound({"name": "deny-ssh", "access": "Deny"}),
		_inbound({"name": "allow-ssh", "priority": 200, "protocol": "*"}),
	])]) == {[_nsg_address, "security_rule.1", "*", [{"from": 22, "to": 22}]]}
}

# A deny of 0.0.0.0/0 leaves IPv6 to "*", and denies 0.0.0.0/0.
test_ipv4_deny_and_any_address if {
	deny := _inbound({"name": "deny-v4", "access": "Deny", "protocol": "*", "destination_port_range": "*", "source_address_prefix": "0.0.0.0/0"})
	allow := object.remove(_inbound({"name": "allow", "priority": 200, "source_address_prefixes": ["*", "0.0.0.0/0"]}), ["source_address_prefix"])
	_exposures([_nsg([deny, allow])]) == {[_nsg_address, "security_rule.1", "*", [{"from": 22, "to": 22}]]}
}

# A deny that applies to one destination or to some source ports covers part
# of the traffic only.
test_narrow_deny_does_not_shadow if {
	to_one_host := _inbound({"name": "deny", "access": "Deny", "destination_address_prefix": "10.0.1.4"})
	from_some_ports := _inbound({"name": "deny", "access": "Deny", "source_port_range": "1024-65535"})
	allow := _inbound({"name": "allow", "priority": 200})
	expected := {[_nsg_address, "security_rule.1", "*", [{"from": 22, "to": 22}]]}
	_exposures([_nsg([to_one_host, allow])]) == expected
	_exposures([_nsg([from_some_ports, allow])]) == expected
}

test_rules_of_another_nsg_do_not_shadow if {
	other := mock.resource("azurerm_network_security_group", "other", {"security_rule": [_inbound({"access": "Deny", "protocol": "*", "destination_port_range": "*"})]})
	_exposures([other, _nsg([_inbound({"priority": 200})])]) == {[_nsg_address, "security_rule.0", "*", [{"from": 22, "to": 22}]]}
}

# A standalone deny joined through its edge shadows an inline allow of the
# same group, and the other way round.
test_standalone_and_inline_rules_of_one_nsg if {
	deny := _standalone("deny_rdp", object.remove(_inbound({"access": "Deny", "destination_port_range": "3389"}), ["name"]), _nsg_address)
	allow := _inbound({"name": "admin", "priority": 200, "destination_port_range": "3000-4000"})
	_exposures([_nsg([allow]), deny]) == {[_nsg_address, "security_rule.0", "*", [{"from": 3000, "to": 3388}, {"from": 3390, "to": 4000}]]}
}

test_standalone_rule_without_edge_is_never_shadowed if {
	deny := _standalone("deny_all", object.remove(_inbound({"access": "Deny", "protocol": "*", "destination_port_range": "*"}), ["name"]), "")
	allow := _standalone("ssh", object.remove(_inbound({"priority": 200}), ["name"]), "")
	_exposures([deny, allow]) == {["azurerm_network_security_rule.ssh", "", "*", [{"from": 22, "to": 22}]]}
}

test_outbound_rules_are_not_ingress if {
	_exposures([_nsg([_outbound({"destination_address_prefix": "Internet"})])]) == set()
}

# ---------------------------------------------------------------------------
# Egress

_egress(resources) := result if {
	exposures := network.open_egress with input as mock.doc(resources)
	result := {[e.rule.path, e.peer.value] | some e in exposures}
}

test_open_egress if {
	everything := _outbound({"protocol": "*", "destination_port_range": "*", "destination_address_prefix": "Internet"})
	_egress([_nsg([everything])]) == {["security_rule.0", "Internet"]}

	# Every protocol on one port is not unrestricted.
	https := _outbound({"protocol": "*", "destination_port_range": "443", "destination_address_prefix": "Internet"})
	_egress([_nsg([https])]) == set()

	# Every TCP port is.
	tcp := _outbound({"destination_port_range": "0-65535", "destination_address_prefix": "*"})
	_egress([_nsg([tcp])]) == {["security_rule.0", "*"]}
}

package portcullis.lib.network_gcp_test

import data.portcullis.lib.mock_test as mock
import data.portcullis.lib.network

_fw(name, values) := object.union(mock.resource("google_compute_firewall", name, values), {"provider": "registry.terraform.io/hashicorp/google"})

_on(res, network_address) := object.union(res, {
	"unknown": {"network": true},
	"references": [mock.ref("network", network_address)],
})

_rules(resources) := rules if {
	rules := network.rules with input as mock.doc(resources)
}

# ---------------------------------------------------------------------------
# The element

test_allow_block_full_shape if {
	fw := object.union(
		_fw("web", {
			"name": "web",
			"description": "HTTPS and SSH to the web servers",
			"direction": "INGRESS",
			"priority": 900,
			"source_ranges": ["203.0.113.0/24", "0.0.0.0/0"],
			"source_tags": ["bastion"],
			"target_tags": ["web"],
			"allow": [{"protocol": "tcp", "ports": ["22", "8000-8080", 443]}],
		}),
		{"unknown": {"network": true}, "references": [mock.ref("network", "google_compute_network.main")]},
	)
	_rules([fw]) == {{
		"resource": "google_compute_firewall.web",
		"resource_type": "google_compute_firewall",
		"format": "terraform",
		"provider": "gcp",
		"kind": "firewall",
		"direction": "ingress",
		"action": "allow",
		"enabled": true,
		"priority": 900,
		"path": "allow.0",
		"protects": "google_compute_network.main",
		"protects_attribute": "network",
		"group": "google_compute_network.main",
		"group_attribute": "network",
		"targets": [{"value": "web", "path": "target_tags.0"}],
		"protocol": "tcp",
		"protocol_known": true,
		"all_protocols": false,
		"port_based": true,
		"ports_known": true,
		"ranges": [
			{"from": 22, "to": 22, "path": "allow.0.ports.0"},
			{"from": 8000, "to": 8080, "path": "allow.0.ports.1"},
			{"from": 443, "to": 443, "path": "allow.0.ports.2"},
		],
		"all_ports": false,
		"ipv4": [
			{"cidr": "203.0.113.0/24", "path": "source_ranges.0"},
			{"cidr": "0.0.0.0/0", "path": "source_ranges.1"},
		],
		"ipv6": [],
		"tags": [],
		"internet": [{"value": "0.0.0.0/0", "path": "source_ranges.1"}],
		"cidrs_unknown": false,
		"source_groups": [{"path": "source_tags.0", "id": "bastion"}],
		"source_group_targets": [],
		"prefix_lists": [],
		"self": false,
		"service": "",
		"description": "HTTPS and SSH to the web servers",
		"description_unknown": false,
		"description_path": "description",
	}}
}

test_one_element_per_allow_and_deny_block if {
	fw := _fw("mixed", {
		"network": "main",
		"source_ranges": ["10.0.0.0/8"],
		"allow": [{"protocol": "tcp", "ports": ["443"]}, {"protocol": "udp", "ports": ["53"]}],
		"deny": [{"protocol": "icmp"}],
	})
	{[r.path, r.action, r.protocol, r.protects, r.priority] | some r in _rules([fw])} == {
		["allow.0", "allow", "tcp", "main", 1000],
		["allow.1", "allow", "udp", "main", 1000],
		["deny.0", "deny", "icmp", "main", 1000],
	}
}

test_single_block_as_json_object if {
	fw := _fw("json", {"source_ranges": ["10.0.0.0/8"], "allow": {"protocol": "tcp", "ports": ["22"]}})
	{[r.path, r.ranges] | some r in _rules([fw])} == {["allow", [{"from": 22, "to": 22, "path": "allow.ports.0"}]]}
}

test_direction if {
	rules := _rules([
		_fw("default", {"allow": [{"protocol": "tcp"}]}),
		_fw("in", {"direction": "INGRESS", "allow": [{"protocol": "tcp"}]}),
		_fw("out", {"direction": "EGRESS", "allow": [{"protocol": "tcp"}]}),
		object.union(_fw("unknown", {"allow": [{"protocol": "tcp"}]}), {"unknown": {"direction": true}}),
		_fw("odd", {"direction": "SIDEWAYS", "allow": [{"protocol": "tcp"}]}),
	])
	{[r.resource, r.direction] | some r in rules} == {
		["google_compute_firewall.default", "ingress"],
		["google_compute_firewall.in", "ingress"],
		["google_compute_firewall.out", "egress"],
		["google_compute_firewall.unknown", ""],
		["google_compute_firewall.odd", ""],
	}
}

test_unknown_direction_in_a_plan_is_the_default if {
	plan := object.union(_fw("plan", {"allow": [{"protocol": "tcp"}]}), {"format": "terraform-plan", "unknown": {"direction": true}})
	referenced := object.union(_fw("referenced", {"allow": [{"protocol": "tcp"}]}), {
		"format": "terraform-plan",
		"unknown": {"direction": true},
		"references": [{"attribute": "direction", "target": "terraform_data.settings", "target_attribute": "output"}],
	})
	{[r.resource, r.direction] | some r in _rules([plan, referenced])} == {
		["google_compute_firewall.plan", "ingress"],
		["google_compute_firewall.referenced", ""],
	}
}

test_priority_default_and_unknown if {
	rules := _rules([
		_fw("default", {"allow": [{"protocol": "tcp"}]}),
		_fw("set", {"priority": 65534, "allow": [{"protocol": "tcp"}]}),
		_fw("string", {"priority": "10", "allow": [{"protocol": "tcp"}]}),
		object.union(_fw("unknown", {"allow": [{"protocol": "tcp"}]}), {"unknown": {"priority": true}}),
	])
	{[r.resource, object.get(r, "priority", "none")] | some r in rules} == {
		["google_compute_firewall.default", 1000],
		["google_compute_firewall.set", 65534],
		["google_compute_firewall.string", 10],
		["google_compute_firewall.unknown", "none"],
	}
}

test_enabled if {
	rules := _rules([
		_fw("on", {"allow": [{"protocol": "tcp"}], "deny": [{"protocol": "udp"}]}),
		_fw("off", {"disabled": true, "allow": [{"protocol": "tcp"}], "deny": [{"protocol": "udp"}]}),
		_fw("explicit", {"disabled": false, "allow": [{"protocol": "tcp"}], "deny": [{"protocol": "udp"}]}),
		object.union(_fw("maybe", {"allow": [{"protocol": "tcp"}], "deny": [{"protocol": "udp"}]}), {"unknown": {"disabled": true}}),
		object.union(_fw("dynamic", {"allow": [{"protocol": "tcp"}], "deny": [{"protocol": "udp"}]}), {"meta": {"dynamic_unknown": ["deny.0"]}}),
	])
	{[r.resource, r.path, r.enabled] | some r in rules} == {
		["google_compute_firewall.on", "allow.0", true],
		["google_compute_firewall.on", "deny.0", true],
		["google_compute_firewall.off", "allow.0", false],
		["google_compute_firewall.off", "deny.0", false],
		["google_compute_firewall.explicit", "allow.0", true],
		["google_compute_firewall.explicit", "deny.0", true],
		# An allow that may be on is judged; a deny that may be off never hides one.
		["google_compute_firewall.maybe", "allow.0", true],
		["google_compute_firewall.maybe", "deny.0", false],
		["google_compute_firewall.dynamic", "allow.0", true],
		["google_compute_firewall.dynamic", "deny.0", false],
	}
}

# ---------------------------------------------------------------------------
# Protocol and ports

_shape(block) := [r.protocol, r.all_protocols, r.port_based, r.ports_known, r.ranges, r.all_ports] if {
	some r in _rules([_fw("p", {"source_ranges": ["10.0.0.0/8"], "allow": [block]})])
}

_shape_unknown(block, unknown) := [r.protocol, r.ports_known, r.ranges] if {
	fw := object.union(_fw("p", {"source_ranges": ["10.0.0.0/8"], "allow": [block]}), {"unknown": {"allow": [unknown]}})
	some r in _rules([fw])
}

test_protocol_all_is_every_port if {
	_shape({"protocol": "all"}) == ["-1", true, true, true, [{"from": 0, "to": 65535, "path": "allow.0"}], true]
}

test_tcp_without_ports_is_every_port if {
	_shape({"protocol": "tcp"}) == ["tcp", false, true, true, [{"from": 0, "to": 65535, "path": "allow.0"}], true]
	_shape({"protocol": "udp", "ports": []}) == ["udp", false, true, true, [{"from": 0, "to": 65535, "path": "allow.0.ports"}], true]
	_shape({"protocol": "sctp"}) == ["sctp", false, true, true, [{"from": 0, "to": 65535, "path": "allow.0"}], true]
}

test_port_list_covering_everything_is_all_ports if {
	_shape({"protocol": "tcp", "ports": ["0-1000", "1001-65535"]}) == [
		"tcp", false, true, true, [
			{"from": 0, "to": 1000, "path": "allow.0.ports.0"},
			{"from": 1001, "to": 65535, "path": "allow.0.ports.1"},
		],
		true,
	]
}

test_port_less_protocols if {
	_shape({"protocol": "icmp"}) == ["icmp", false, false, true, [], false]
	_shape({"protocol": "esp"}) == ["esp", false, false, true, [], false]
	_shape({"protocol": "ipip"}) == ["ipip", false, false, true, [], false]
}

test_protocol_numbers_and_case if {
	_shape({"protocol": "6", "ports": ["22"]}) == ["tcp", false, true, true, [{"from": 22, "to": 22, "path": "allow.0.ports.0"}], false]
	_shape({"protocol": "TCP", "ports": ["22"]}) == ["tcp", false, true, true, [{"from": 22, "to": 22, "path": "allow.0.ports.0"}], false]
	_shape({"protocol": "50"}) == ["50", false, false, true, [], false]
}

test_malformed_port_makes_ports_unknown if {
	_shape({"protocol": "tcp", "ports": ["22", "http"]}) == ["tcp", false, true, false, [], false]
}

test_unknown_ports if {
	_shape_unknown({"protocol": "tcp", "ports": ["22", null]}, {"ports": [false, true]}) == ["tcp", false, []]
	_shape_unknown({"protocol": "tcp"}, {"ports": true}) == ["tcp", false, []]
}

test_unknown_protocol if {
	_shape_unknown({"ports": ["22"]}, {"protocol": true}) == ["", false, []]
}

# ---------------------------------------------------------------------------
# The remote side

_peers(values) := [r.ipv4, r.ipv6, r.internet, r.cidrs_unknown, r.source_groups] if {
	some r in _rules([_fw("p", object.union({"allow": [{"protocol": "tcp", "ports": ["22"]}]}, values))])
}

_peers_unknown(values, unknown, references) := [r.ipv4, r.internet, r.cidrs_unknown, r.source_groups, r.source_group_targets] if {
	fw := object.union(_fw("p", object.union({"allow": [{"protocol": "tcp", "ports": ["22"]}]}, values)), {"unknown": unknown, "references": references})
	some r in _rules([fw])
}

test_no_source_at_all_is_every_ipv4_source if {
	_peers({}) == [[{"cidr": "0.0.0.0/0", "path": ""}], [], [{"value": "0.0.0.0/0", "path": ""}], false, []]
}

test_empty_source_lists_are_every_ipv4_source if {
	_peers({"source_ranges": [], "source_tags": []}) == [
		[{"cidr": "0.0.0.0/0", "path": "source_ranges"}], [],
		[{"value": "0.0.0.0/0", "path": "source_ranges"}], false, [],
	]
}

test_source_ranges_of_empty_strings_are_every_ipv4_source if {
	_peers({"source_ranges": ["", " "]}) == [
		[{"cidr": "0.0.0.0/0", "path": "source_ranges"}], [],
		[{"value": "0.0.0.0/0", "path": "source_ranges"}], false, [],
	]

	# An empty string beside a range, or beside source tags, implies nothing.
	_peers({"source_ranges": ["", "10.0.0.0/8"]}) == [[{"cidr": "", "path": "source_ranges.0"}, {"cidr": "10.0.0.0/8", "path": "source_ranges.1"}], [], [], false, []]
	_peers({"source_ranges": [""], "source_tags": ["bastion"]}) == [[{"cidr": "", "path": "source_ranges.0"}], [], [], false, [{"path": "source_tags.0", "id": "bastion"}]]
}

test_source_tags_alone_are_not_the_internet if {
	_peers({"source_tags": ["bastion"]}) == [[], [], [], false, [{"path": "source_tags.0", "id": "bastion"}]]
	_peers({"source_service_accounts": ["jump@p.iam.gserviceaccount.com"]}) == [[], [], [], false, [{"path": "source_service_accounts.0", "id": "jump@p.iam.gserviceaccount.com"}]]
}

test_ipv6_source if {
	_peers({"source_ranges": ["::/0"]}) == [[], [{"cidr": "::/0", "path": "source_ranges.0"}], [{"value": "::/0", "path": "source_ranges.0"}], false, []]
}

test_unknown_sources_imply_nothing if {
	# The list is unknown.
	_peers_unknown({}, {"source_ranges": true}, []) == [[], [], true, [], []]

	# One element is unknown.
	_peers_unknown({"source_ranges": ["10.0.0.0/8", null]}, {"source_ranges": [false, true]}, []) == [
		[{"cidr": "10.0.0.0/8", "path": "source_ranges.0"}], [], true, [], [],
	]

	# Only the tags are unknown: they may name instances.
	_peers_unknown({}, {"source_tags": true}, []) == [[], [], false, [{"path": "source_tags"}], []]

	# The service accounts are references to accounts of the configuration.
	_peers_unknown({"source_service_accounts": [null]}, {"source_service_accounts": [true]}, [mock.ref("source_service_accounts.0", "google_service_account.jump")]) == [
		[], [], false, [{"path": "source_service_accounts.0"}], ["google_service_account.jump"],
	]
}

test_egress_destinations if {
	some out in _rules([_fw("out", {"direction": "EGRESS", "destination_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "all"}]})])
	out.internet == [{"value": "0.0.0.0/0", "path": "destination_ranges.0"}]

	# Source attributes are not the peers of an egress rule.
	some tagged in _rules([_fw("out", {"direction": "EGRESS", "source_ranges": ["10.0.0.0/8"], "destination_ranges": ["10.1.0.0/16"], "allow": [{"protocol": "all"}]})])
	tagged.ipv4 == [{"cidr": "10.1.0.0/16", "path": "destination_ranges.0"}]
}

test_egress_without_destinations_is_every_ipv4_destination if {
	some out in _rules([_fw("out", {"direction": "EGRESS", "allow": [{"protocol": "all"}]})])
	out.internet == [{"value": "0.0.0.0/0", "path": ""}]
}

test_unknown_direction_has_no_peers if {
	some r in _rules([object.union(_fw("u", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "all"}]}), {"unknown": {"direction": true}})])
	[r.ipv4, r.internet, r.cidrs_unknown] == [[], [], true]
}

test_implied_peer if {
	some implied in _rules([_fw("i", {"allow": [{"protocol": "tcp"}]})])
	some peer in implied.internet
	network.gcp_implied_peer(implied, peer)

	some written in _rules([_fw("w", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp"}]})])
	some other in written.internet
	not network.gcp_implied_peer(written, other)
}

# ---------------------------------------------------------------------------
# Network and targets

test_protects_the_network if {
	rules := _rules([
		_on(_fw("ref", {"allow": [{"protocol": "tcp"}]}), "google_compute_network.main"),
		_fw("name", {"network": "default", "allow": [{"protocol": "tcp"}]}),
		_fw("path", {"network": "projects/p/global/networks/vpc", "allow": [{"protocol": "tcp"}]}),
		object.union(_fw("unknown", {"allow": [{"protocol": "tcp"}]}), {"unknown": {"network": true}}),
		_fw("missing", {"allow": [{"protocol": "tcp"}]}),
	])
	{[r.resource, r.protects] | some r in rules} == {
		["google_compute_firewall.ref", "google_compute_network.main"],
		["google_compute_firewall.name", "default"],
		["google_compute_firewall.path", "projects/p/global/networks/vpc"],
		["google_compute_firewall.unknown", ""],
		["google_compute_firewall.missing", ""],
	}
}

test_targets if {
	some r in _rules([object.union(
		_fw("t", {"target_tags": ["web", null], "target_service_accounts": ["app@p.iam.gserviceaccount.com"], "allow": [{"protocol": "tcp"}]}),
		{"unknown": {"target_tags": [false, true]}},
	)])
	r.targets == [
		{"value": "web", "path": "target_tags.0"},
		{"path": "target_tags.1"},
		{"value": "app@p.iam.gserviceaccount.com", "path": "target_service_accounts.0"},
	]

	some u in _rules([object.union(_fw("u", {"allow": [{"protocol": "tcp"}]}), {"unknown": {"target_service_accounts": true}})])
	u.targets == [{"path": "target_service_accounts"}]
}

test_description if {
	some missing in _rules([_fw("m", {"allow": [{"protocol": "tcp"}]})])
	not missing.description
	missing.description_unknown == false

	some unknown in _rules([object.union(_fw("u", {"allow": [{"protocol": "tcp"}]}), {"unknown": {"description": true}})])
	unknown.description_unknown == true
}

test_rule_types if {
	"google_compute_firewall" in network.rule_types
}

# ---------------------------------------------------------------------------
# What a firewall actually admits

_exposures(resources) := result if {
	exposures := network.open_ingress with input as mock.doc(resources)
	result := {[e.rule.resource, e.rule.path, e.peer.value, e.ranges] | some e in exposures}
}

_allow_ssh := _on(_fw("ssh", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}), "google_compute_network.main")

_deny(name, priority, extra) := _on(_fw(name, object.union({"priority": priority, "deny": [{"protocol": "all"}]}, extra)), "google_compute_network.main")

test_allow_alone_is_exposed if {
	_exposures([_allow_ssh]) == {["google_compute_firewall.ssh", "allow.0", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

test_deny_all_with_lower_priority_shadows if {
	_exposures([_allow_ssh, _deny("deny_all", 100, {"source_ranges": ["0.0.0.0/0"]})]) == set()
}

test_deny_all_without_source_shadows if {
	# The deny's implied 0.0.0.0/0 covers the whole IPv4 internet.
	_exposures([_allow_ssh, _deny("deny_all", 100, {})]) == set()
}

test_deny_with_equal_priority_shadows if {
	_exposures([_allow_ssh, _deny("deny_all", 1000, {})]) == set()
}

test_deny_with_higher_priority_number_does_not_shadow if {
	_exposures([_allow_ssh, _deny("deny_all", 2000, {})]) == {["google_compute_firewall.ssh", "allow.0", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

test_deny_with_target_tags_does_not_shadow if {
	_exposures([_allow_ssh, _deny("deny_tagged", 100, {"target_tags": ["locked"]})]) == {["google_compute_firewall.ssh", "allow.0", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

# A deny limited to some destinations of an ingress rule (destination_ranges,
# provider 4.49 and later) or some sources of an egress rule (source_ranges)
# covers part of the instances only: it does not shadow. Ranges of every
# address limit nothing.
test_deny_with_local_ranges_does_not_shadow if {
	_exposures([_allow_ssh, _deny("deny_subnet", 100, {"destination_ranges": ["10.0.1.0/24"]})]) == {["google_compute_firewall.ssh", "allow.0", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
	_exposures([_allow_ssh, _deny("deny_everywhere", 100, {"destination_ranges": ["0.0.0.0/0"]})]) == set()
}

test_local_ranges_are_targets if {
	rules := _rules([
		_fw("in", {"destination_ranges": ["10.0.1.0/24", "0.0.0.0/0"], "deny": [{"protocol": "all"}]}),
		_fw("out", {"direction": "EGRESS", "source_ranges": ["10.0.2.0/24"], "deny": [{"protocol": "all"}]}),
		object.union(_fw("unknown", {"deny": [{"protocol": "all"}]}), {"unknown": {"destination_ranges": true}}),
		object.union(_fw("plan", {"deny": [{"protocol": "all"}]}), {"format": "terraform-plan", "unknown": {"destination_ranges": true}}),
	])
	{[r.resource, r.targets] | some r in rules} == {
		["google_compute_firewall.in", [{"value": "10.0.1.0/24", "path": "destination_ranges.0"}]],
		["google_compute_firewall.out", [{"value": "10.0.2.0/24", "path": "source_ranges.0"}]],
		["google_compute_firewall.unknown", [{"path": "destination_ranges"}]],
		# In a plan the provider shows an unset destination_ranges as unknown.
		["google_compute_firewall.plan", []],
	}
}

test_deny_with_unknown_targets_does_not_shadow if {
	deny := object.union(_deny("deny_maybe", 100, {}), {"unknown": {"network": true, "target_tags": true}})
	_exposures([_allow_ssh, deny]) == {["google_compute_firewall.ssh", "allow.0", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

test_deny_of_another_network_does_not_shadow if {
	other := _on(_fw("other", {"priority": 100, "deny": [{"protocol": "all"}]}), "google_compute_network.other")
	_exposures([_allow_ssh, other]) == {["google_compute_firewall.ssh", "allow.0", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

test_disabled_or_uncertain_deny_does_not_shadow if {
	_exposures([_allow_ssh, _deny("off", 100, {"disabled": true})]) == {["google_compute_firewall.ssh", "allow.0", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
	maybe := object.union(_deny("maybe", 100, {}), {"unknown": {"network": true, "disabled": true}})
	_exposures([_allow_ssh, maybe]) == {["google_compute_firewall.ssh", "allow.0", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

test_deny_of_an_unknown_count_does_not_shadow if {
	maybe := object.union(_deny("maybe", 100, {}), {"address": "google_compute_firewall.maybe[*]", "meta": {"expansion": "unknown"}})
	_exposures([_allow_ssh, maybe]) == {["google_compute_firewall.ssh", "allow.0", "0.0.0.0/0", [{"from": 22, "to": 22}]]}
}

test_disabled_allow_admits_nothing if {
	off := _on(_fw("off", {"disabled": true, "source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}), "google_compute_network.main")
	_exposures([off]) == set()
}

test_deny_of_some_ports_takes_them_away if {
	all_tcp := _on(_fw("all_tcp", {"allow": [{"protocol": "tcp"}]}), "google_compute_network.main")
	deny_ssh := _on(_fw("deny_ssh", {"priority": 500, "deny": [{"protocol": "tcp", "ports": ["22", "3389"]}]}), "google_compute_network.main")
	_exposures([all_tcp, deny_ssh]) == {["google_compute_firewall.all_tcp", "allow.0", "0.0.0.0/0", [
		{"from": 0, "to": 21},
		{"from": 23, "to": 3388},
		{"from": 3390, "to": 65535},
	]]}
}

test_ipv4_deny_does_not_shadow_ipv6_allow if {
	allow6 := _on(_fw("ssh6", {"source_ranges": ["::/0"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}), "google_compute_network.main")
	_exposures([allow6, _deny("deny_all", 100, {})]) == {["google_compute_firewall.ssh6", "allow.0", "::/0", [{"from": 22, "to": 22}]]}
}

test_deny_by_network_name_shadows_allow_by_the_same_name if {
	allow := _fw("ssh", {"network": "vpc", "allow": [{"protocol": "tcp", "ports": ["22"]}]})
	deny := _fw("deny", {"network": "vpc", "priority": 10, "deny": [{"protocol": "tcp"}]})
	_exposures([allow, deny]) == set()
}

package portcullis.gcp.compute.firewall_egress_unrestricted_test

import data.portcullis.gcp.compute.firewall_egress_unrestricted
import data.portcullis.lib.mock_test as mock

_fw(name, values) := object.union(mock.resource("google_compute_firewall", name, object.union({"name": name, "description": "test", "direction": "EGRESS"}, values)), {
	"unknown": {"network": true},
	"references": [mock.ref("network", "google_compute_network.main")],
})

test_all_protocols_to_the_internet if {
	firewall_egress_unrestricted.deny == {{
		"resource": "google_compute_firewall.out",
		"attribute": "destination_ranges.0",
		"message": "Firewall rule google_compute_firewall.out allow.0 allows 0.0.0.0/0 to all traffic (every protocol and port), so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered",
	}} with input as mock.doc([_fw("out", {"destination_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "all"}]})])
}

test_every_tcp_port_to_the_internet if {
	firewall_egress_unrestricted.deny == {{
		"resource": "google_compute_firewall.out",
		"attribute": "destination_ranges.1",
		"message": "Firewall rule google_compute_firewall.out allow.0 allows ::/0 to every TCP port, so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered",
	}} with input as mock.doc([_fw("out", {"destination_ranges": ["2001:db8::/32", "::/0"], "allow": [{"protocol": "tcp"}]})])
}

test_port_range_from_one_is_every_port if {
	firewall_egress_unrestricted.deny == {{
		"resource": "google_compute_firewall.out",
		"attribute": "destination_ranges.0",
		"message": "Firewall rule google_compute_firewall.out allow.0 allows 0.0.0.0/0 to every TCP port, so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered",
	}} with input as mock.doc([_fw("out", {"destination_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["1-65535"]}]})])
}

test_no_destination_is_the_whole_internet if {
	firewall_egress_unrestricted.deny == {{
		"resource": "google_compute_firewall.out",
		"attribute": "",
		"message": "Firewall rule google_compute_firewall.out allow.0 allows 0.0.0.0/0 to all traffic (every protocol and port), so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered (no destination_ranges is set, so GCP applies the rule to every IPv4 destination)",
	}} with input as mock.doc([_fw("out", {"allow": [{"protocol": "all"}]})])
}

test_empty_destination_ranges_is_the_whole_internet if {
	firewall_egress_unrestricted.deny == {{
		"resource": "google_compute_firewall.out",
		"attribute": "destination_ranges",
		"message": "Firewall rule google_compute_firewall.out allow.0 allows 0.0.0.0/0 to every UDP port, so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered (destination_ranges is empty, so GCP applies the rule to every IPv4 destination)",
	}} with input as mock.doc([_fw("out", {"destination_ranges": [], "allow": [{"protocol": "udp", "ports": []}]})])
}

test_restricted_egress_passes if {
	count(firewall_egress_unrestricted.deny) == 0 with input as mock.doc([
		_fw("https", {"destination_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["443"]}]}),
		_fw("proxy", {"destination_ranges": ["10.20.0.10/32"], "allow": [{"protocol": "all"}]}),
		_fw("deny_all", {"destination_ranges": ["0.0.0.0/0"], "deny": [{"protocol": "all"}]}),
		_fw("off", {"disabled": true, "destination_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "all"}]}),
	])
}

test_earlier_deny_restricts_the_allow if {
	count(firewall_egress_unrestricted.deny) == 0 with input as mock.doc([
		_fw("out", {"priority": 1000, "allow": [{"protocol": "all"}]}),
		_fw("no_smtp", {"priority": 900, "deny": [{"protocol": "tcp", "ports": ["25"]}]}),
	])
}

test_earlier_deny_of_internal_destinations_does_not_restrict_the_allow if {
	firewall_egress_unrestricted.deny == {{
		"resource": "google_compute_firewall.out",
		"attribute": "destination_ranges.0",
		"message": "Firewall rule google_compute_firewall.out allow.0 allows 0.0.0.0/0 to all traffic (every protocol and port), so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered",
	}} with input as mock.doc([
		_fw("out", {"priority": 1000, "destination_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "all"}]}),
		_fw("no_internal", {"priority": 900, "destination_ranges": ["10.0.0.0/8"], "deny": [{"protocol": "all"}]}),
		_fw("no_v6", {"priority": 900, "destination_ranges": ["::/0"], "deny": [{"protocol": "all"}]}),
	])
}

test_later_deny_does_not_restrict_the_allow if {
	firewall_egress_unrestricted.deny == {{
		"resource": "google_compute_firewall.out",
		"attribute": "destination_ranges.0",
		"message": "Firewall rule google_compute_firewall.out allow.0 allows 0.0.0.0/0 to all traffic (every protocol and port), so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered",
	}} with input as mock.doc([
		_fw("out", {"priority": 1000, "destination_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "all"}]}),
		_fw("deny_all", {"priority": 65000, "deny": [{"protocol": "all"}]}),
	])
}

test_ingress_and_unknown_destinations_are_not_reported if {
	count(firewall_egress_unrestricted.deny) == 0 with input as mock.doc([
		_fw("in", {"direction": "INGRESS", "source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "all"}]}),
		object.union(_fw("unknown", {"allow": [{"protocol": "all"}]}), {"unknown": {"network": true, "destination_ranges": true}}),
	])
}

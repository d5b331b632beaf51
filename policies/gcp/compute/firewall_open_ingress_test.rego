package portcullis.gcp.compute.firewall_open_ingress_test

import data.portcullis.gcp.compute.firewall_open_ingress
import data.portcullis.lib.mock_test as mock

_fw(name, values) := object.union(mock.resource("google_compute_firewall", name, object.union({"name": name, "description": "test"}, values)), {
	"unknown": {"network": true},
	"references": [mock.ref("network", "google_compute_network.main")],
})

# ---------------------------------------------------------------------------
# Firing

test_ssh_from_internet_is_critical if {
	firewall_open_ingress.deny == {{
		"resource": "google_compute_firewall.ssh",
		"attribute": "source_ranges.1",
		"message": "Firewall rule google_compute_firewall.ssh allow.0 allows 0.0.0.0/0 to TCP port 22 (SSH)",
		"severity": "critical",
	}} with input as mock.doc([_fw("ssh", {
		"source_ranges": ["203.0.113.0/24", "0.0.0.0/0"],
		"allow": [{"protocol": "tcp", "ports": ["22"]}],
	})])
}

test_rdp_from_ipv6_internet if {
	firewall_open_ingress.deny == {{
		"resource": "google_compute_firewall.rdp",
		"attribute": "source_ranges.0",
		"message": "Firewall rule google_compute_firewall.rdp allow.0 allows ::/0 to TCP port 3389 (RDP)",
		"severity": "critical",
	}} with input as mock.doc([_fw("rdp", {
		"direction": "INGRESS",
		"source_ranges": ["::/0"],
		"allow": [{"protocol": "tcp", "ports": ["3389"]}],
	})])
}

test_no_source_is_the_whole_internet if {
	firewall_open_ingress.deny == {{
		"resource": "google_compute_firewall.web",
		"attribute": "",
		"message": "Firewall rule google_compute_firewall.web allow.0 allows 0.0.0.0/0 to TCP ports 80 (HTTP), 443 (HTTPS) (no source_ranges, source_tags or source_service_accounts is set, so GCP applies the rule to every IPv4 source)",
		"severity": "high",
	}} with input as mock.doc([_fw("web", {
		"target_tags": ["web"],
		"allow": [{"protocol": "tcp", "ports": ["80", "443"]}],
	})])
}

test_empty_source_ranges_is_the_whole_internet if {
	firewall_open_ingress.deny == {{
		"resource": "google_compute_firewall.web",
		"attribute": "source_ranges",
		"message": "Firewall rule google_compute_firewall.web allow.0 allows 0.0.0.0/0 to TCP port 8443 (HTTPS (alternate)) (source_ranges is empty and no source_tags or source_service_accounts is set, so GCP applies the rule to every IPv4 source)",
		"severity": "high",
	}} with input as mock.doc([_fw("web", {
		"source_ranges": [],
		"allow": [{"protocol": "tcp", "ports": ["8443"]}],
	})])
}

# A list of empty strings (a variable defaulting to [""]) names no range:
# GCP applies the rule to every IPv4 source (hashicorp/terraform-provider-google#6789).
test_source_ranges_of_empty_strings_is_the_whole_internet if {
	firewall_open_ingress.deny == {{
		"resource": "google_compute_firewall.game",
		"attribute": "source_ranges",
		"message": "Firewall rule google_compute_firewall.game allow.0 allows 0.0.0.0/0 to UDP port 666 (source_ranges is empty and no source_tags or source_service_accounts is set, so GCP applies the rule to every IPv4 source)",
		"severity": "high",
	}} with input as mock.doc([_fw("game", {
		"source_ranges": [""],
		"allow": [{"protocol": "udp", "ports": ["666"]}],
	})])
}

test_protocol_all_is_critical if {
	firewall_open_ingress.deny == {{
		"resource": "google_compute_firewall.any",
		"attribute": "source_ranges.0",
		"message": "Firewall rule google_compute_firewall.any allow.0 allows 0.0.0.0/0 to all traffic (every protocol and port)",
		"severity": "critical",
	}} with input as mock.doc([_fw("any", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "all"}]})])
}

test_tcp_without_ports_is_every_port if {
	firewall_open_ingress.deny == {{
		"resource": "google_compute_firewall.tcp",
		"attribute": "source_ranges.0",
		"message": "Firewall rule google_compute_firewall.tcp allow.0 allows 0.0.0.0/0 to TCP ports 0-65535 (all)",
		"severity": "critical",
	}} with input as mock.doc([_fw("tcp", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp"}]})])
}

test_icmp_is_high if {
	firewall_open_ingress.deny == {{
		"resource": "google_compute_firewall.ping",
		"attribute": "source_ranges.0",
		"message": "Firewall rule google_compute_firewall.ping allow.0 allows 0.0.0.0/0 to ICMP",
		"severity": "high",
	}} with input as mock.doc([_fw("ping", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "icmp"}]})])
}

test_one_finding_per_block_and_range if {
	firewall_open_ingress.deny == {
		{
			"resource": "google_compute_firewall.db",
			"attribute": "source_ranges.0",
			"message": "Firewall rule google_compute_firewall.db allow.0 allows 0.0.0.0/0 to TCP port 5432 (PostgreSQL)",
			"severity": "critical",
		},
		{
			"resource": "google_compute_firewall.db",
			"attribute": "source_ranges.0",
			"message": "Firewall rule google_compute_firewall.db allow.1 allows 0.0.0.0/0 to UDP port 161 (SNMP)",
			"severity": "high",
		},
	} with input as mock.doc([_fw("db", {
		"source_ranges": ["0.0.0.0/0"],
		"allow": [{"protocol": "tcp", "ports": ["5432"]}, {"protocol": "udp", "ports": ["161"]}],
	})])
}

test_partly_denied_range_reports_what_is_left if {
	firewall_open_ingress.deny == {{
		"resource": "google_compute_firewall.high_ports",
		"attribute": "source_ranges.0",
		"message": "Firewall rule google_compute_firewall.high_ports allow.0 allows 0.0.0.0/0 to TCP ports 1024-3305, 3307-65535 including 1099 (Java RMI), 1433 (MSSQL), 1434 (MSSQL browser), 1521 (Oracle), 2049 (NFS), 2181 (ZooKeeper) and 33 more sensitive ports (the rest is denied by a rule evaluated before it)",
		"severity": "critical",
	}} with input as mock.doc([
		_fw("high_ports", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["1024-65535"]}]}),
		_fw("no_mysql", {"priority": 100, "deny": [{"protocol": "tcp", "ports": ["3306"]}]}),
	])
}

test_deny_with_target_tags_does_not_hide_the_allow if {
	firewall_open_ingress.deny == {{
		"resource": "google_compute_firewall.ssh",
		"attribute": "source_ranges.0",
		"message": "Firewall rule google_compute_firewall.ssh allow.0 allows 0.0.0.0/0 to TCP port 22 (SSH)",
		"severity": "critical",
	}} with input as mock.doc([
		_fw("ssh", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}),
		_fw("deny_tagged", {"priority": 100, "target_tags": ["locked"], "deny": [{"protocol": "all"}]}),
	])
}

# ---------------------------------------------------------------------------
# Not firing

test_restricted_sources_pass if {
	count(firewall_open_ingress.deny) == 0 with input as mock.doc([
		_fw("iap", {"source_ranges": ["35.235.240.0/20"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}),
		_fw("tags", {"source_tags": ["bastion"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}),
		_fw("sa", {"source_service_accounts": ["app@p.iam.gserviceaccount.com"], "allow": [{"protocol": "tcp", "ports": ["5432"]}]}),
	])
}

test_deny_rules_and_egress_are_not_reported if {
	count(firewall_open_ingress.deny) == 0 with input as mock.doc([
		_fw("deny_all", {"source_ranges": ["0.0.0.0/0"], "deny": [{"protocol": "all"}]}),
		_fw("out", {"direction": "EGRESS", "destination_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}),
	])
}

test_disabled_firewall_passes if {
	count(firewall_open_ingress.deny) == 0 with input as mock.doc([_fw("off", {
		"disabled": true,
		"source_ranges": ["0.0.0.0/0"],
		"allow": [{"protocol": "tcp", "ports": ["22"]}],
	})])
}

test_shadowed_by_deny_all_passes if {
	count(firewall_open_ingress.deny) == 0 with input as mock.doc([
		_fw("ssh", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}),
		_fw("deny_all", {"priority": 100, "source_ranges": ["0.0.0.0/0"], "deny": [{"protocol": "all"}]}),
	])
}

test_unknown_values_are_not_reported if {
	count(firewall_open_ingress.deny) == 0 with input as mock.doc([
		object.union(_fw("ranges", {"allow": [{"protocol": "tcp", "ports": ["22"]}]}), {"unknown": {"network": true, "source_ranges": true}}),
		object.union(_fw("tags", {"allow": [{"protocol": "tcp", "ports": ["22"]}]}), {"unknown": {"network": true, "source_tags": true}}),
		object.union(_fw("direction", {"source_ranges": ["0.0.0.0/0"], "allow": [{"protocol": "tcp", "ports": ["22"]}]}), {"unknown": {"network": true, "direction": true}}),
	])
}

test_unknown_protocol_open_to_the_internet_is_high if {
	firewall_open_ingress.deny == {{
		"resource": "google_compute_firewall.protocol",
		"attribute": "source_ranges.0",
		"message": "Firewall rule google_compute_firewall.protocol allow.0 allows 0.0.0.0/0 to traffic whose protocol cannot be determined statically",
		"severity": "high",
	}} with input as mock.doc([object.union(
		_fw("protocol", {"source_ranges": ["0.0.0.0/0"], "allow": [{"ports": ["22"]}]}),
		{"unknown": {"network": true, "allow": [{"protocol": true}]}},
	)])
}

test_other_providers_are_not_reported if {
	sg := mock.resource("aws_security_group", "web", {"ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]})
	count(firewall_open_ingress.deny) == 0 with input as mock.doc([sg])
}

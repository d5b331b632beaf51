package portcullis.azure.network.nsg_ingress_open_test

import data.portcullis.azure.network.nsg_ingress_open
import data.portcullis.lib.mock_test as mock

_web := "azurerm_network_security_group.web"

_nsg(rules) := mock.resource("azurerm_network_security_group", "web", {
	"name": "web",
	"location": "westeurope",
	"resource_group_name": "rg",
	"security_rule": rules,
})

# _rule(overrides) is an inbound TCP 22 allow from anywhere unless overridden.
_rule(overrides) := object.union(
	{
		"name": "ssh",
		"description": "test",
		"priority": 200,
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

_finding(attribute, text, severity) := {
	"resource": _web,
	"attribute": attribute,
	"message": sprintf("Network security group rule %s security_rule.0 allows %s", [_web, text]),
	"severity": severity,
}

# ---------------------------------------------------------------------------
# Firing

test_ssh_from_any_address_is_critical if {
	nsg_ingress_open.deny == {_finding("security_rule.0.source_address_prefix", "* to TCP port 22 (SSH)", "critical")} with input as mock.doc([_nsg([_rule({})])])
}

test_rdp_from_internet_tag_is_critical if {
	nsg_ingress_open.deny == {_finding("security_rule.0.source_address_prefix", "Internet to TCP port 3389 (RDP)", "critical")} with input as mock.doc([_nsg([_rule({"source_address_prefix": "Internet", "destination_port_range": "3389"})])])
}

test_https_from_zero_prefix_is_high if {
	nsg_ingress_open.deny == {_finding("security_rule.0.source_address_prefix", "0.0.0.0/0 to TCP port 443 (HTTPS)", "high")} with input as mock.doc([_nsg([_rule({"source_address_prefix": "0.0.0.0/0", "destination_port_range": "443"})])])
}

test_element_of_source_address_prefixes if {
	rule := object.remove(_rule({"source_address_prefixes": ["10.0.0.0/8", "0.0.0.0/0", "::/0", "Any"]}), ["source_address_prefix"])
	nsg_ingress_open.deny == {
		_finding("security_rule.0.source_address_prefixes.1", "0.0.0.0/0 to TCP port 22 (SSH)", "critical"),
		_finding("security_rule.0.source_address_prefixes.2", "::/0 to TCP port 22 (SSH)", "critical"),
		_finding("security_rule.0.source_address_prefixes.3", "Any to TCP port 22 (SSH)", "critical"),
	} with input as mock.doc([_nsg([rule])])
}

test_port_range_names_the_sensitive_ports_it_includes if {
	nsg_ingress_open.deny == {_finding(
		"security_rule.0.source_address_prefix",
		"* to TCP ports 1000-4000 including 1099 (Java RMI), 1433 (MSSQL), 1434 (MSSQL browser), 1521 (Oracle), 2049 (NFS), 2181 (ZooKeeper) and 6 more sensitive ports",
		"critical",
	)} with input as mock.doc([_nsg([_rule({"destination_port_range": "1000-4000"})])])
}

test_every_port_and_protocol if {
	nsg_ingress_open.deny == {_finding("security_rule.0.source_address_prefix", "Internet to all traffic (every protocol and port)", "critical")} with input as mock.doc([_nsg([_rule({"protocol": "*", "destination_port_range": "*", "source_address_prefix": "Internet"})])])
	nsg_ingress_open.deny == {_finding("security_rule.0.source_address_prefix", "* to TCP ports 0-65535 (all)", "critical")} with input as mock.doc([_nsg([_rule({"destination_port_range": "*"})])])
}

# Every protocol on one port opens that port of TCP and UDP: judged on it.
test_every_protocol_on_a_web_port_is_high if {
	nsg_ingress_open.deny == {_finding("security_rule.0.source_address_prefix", "* to every protocol on port 443 (HTTPS)", "high")} with input as mock.doc([_nsg([_rule({"protocol": "*", "destination_port_range": "443"})])])
}

test_list_of_port_ranges if {
	rule := object.remove(_rule({"destination_port_ranges": ["80", "443"]}), ["destination_port_range"])
	nsg_ingress_open.deny == {_finding("security_rule.0.source_address_prefix", "* to TCP ports 80 (HTTP), 443 (HTTPS)", "high")} with input as mock.doc([_nsg([rule])])

	admin := object.remove(_rule({"destination_port_ranges": ["443", "3389", "5985-5986"]}), ["destination_port_range"])
	nsg_ingress_open.deny == {_finding(
		"security_rule.0.source_address_prefix",
		"* to TCP ports 443, 3389, 5985-5986 including 3389 (RDP), 5985 (WinRM), 5986 (WinRM (HTTPS))",
		"critical",
	)} with input as mock.doc([_nsg([admin])])
}

test_udp_and_icmp if {
	nsg_ingress_open.deny == {_finding("security_rule.0.source_address_prefix", "Internet to UDP port 161 (SNMP)", "high")} with input as mock.doc([_nsg([_rule({"protocol": "Udp", "destination_port_range": "161", "source_address_prefix": "Internet"})])])
	nsg_ingress_open.deny == {_finding("security_rule.0.source_address_prefix", "Internet to ICMP", "high")} with input as mock.doc([_nsg([_rule({"protocol": "Icmp", "destination_port_range": "*", "source_address_prefix": "Internet"})])])
}

test_standalone_rule_joined_through_its_edge if {
	rule := object.union(
		mock.resource("azurerm_network_security_rule", "ssh", object.union(object.remove(_rule({"source_address_prefix": "Internet"}), ["name"]), {"resource_group_name": "rg"})),
		{"unknown": {"network_security_group_name": true}, "references": [mock.ref("network_security_group_name", _web)]},
	)
	nsg_ingress_open.deny == {{
		"resource": "azurerm_network_security_rule.ssh",
		"attribute": "source_address_prefix",
		"message": sprintf("Network security group rule azurerm_network_security_rule.ssh on %s allows Internet to TCP port 22 (SSH)", [_web]),
		"severity": "critical",
	}} with input as mock.doc([_nsg([]), rule])
}

test_partially_shadowed_rule_says_so if {
	deny := _rule({"name": "deny-ssh", "priority": 100, "access": "Deny", "protocol": "*"})
	allow := _rule({"name": "web", "destination_port_ranges": ["22", "80"], "destination_port_range": ""})
	nsg_ingress_open.deny == {{
		"resource": _web,
		"attribute": "security_rule.1.source_address_prefix",
		"message": sprintf("Network security group rule %s security_rule.1 allows * to TCP port 80 (HTTP) (the rest is denied by a rule evaluated before it)", [_web]),
		"severity": "high",
	}} with input as mock.doc([_nsg([deny, allow])])
}

# A deny generated by a dynamic block whose for_each is unknown may not
# exist: it does not hide the allow.
test_deny_that_may_not_exist_does_not_shadow if {
	deny := _rule({"name": "lock-down", "priority": 100, "access": "Deny", "protocol": "*", "destination_port_range": "*"})
	nsg := object.union(_nsg([deny, _rule({})]), {"meta": {"dynamic_unknown": ["security_rule.0"]}})
	nsg_ingress_open.deny == {{
		"resource": _web,
		"attribute": "security_rule.1.source_address_prefix",
		"message": sprintf("Network security group rule %s security_rule.1 allows * to TCP port 22 (SSH)", [_web]),
		"severity": "critical",
	}} with input as mock.doc([nsg])
}

test_partially_shadowed_every_port if {
	deny := _rule({"name": "deny-ssh", "priority": 100, "access": "Deny", "protocol": "*", "source_address_prefix": "Internet"})
	allow := _rule({"name": "all", "protocol": "*", "destination_port_range": "*"})
	nsg_ingress_open.deny == {{
		"resource": _web,
		"attribute": "security_rule.1.source_address_prefix",
		"message": sprintf("Network security group rule %s security_rule.1 allows * to every protocol on ports 0-21, 23-65535 including 20 (FTP-data), 21 (FTP), 23 (Telnet), 111 (rpcbind), 135 (MSRPC), 137 (NetBIOS name) and 49 more sensitive ports (the rest is denied by a rule evaluated before it)", [_web]),
		"severity": "critical",
	}} with input as mock.doc([_nsg([deny, allow])])
}

# ---------------------------------------------------------------------------
# Not firing

test_narrow_sources_pass if {
	sources := ["10.0.0.0/8", "203.0.113.7", "VirtualNetwork", "AzureLoadBalancer", "Storage.WestEurope", "GatewayManager"]
	rule := object.remove(_rule({"source_address_prefixes": sources}), ["source_address_prefix"])
	count(nsg_ingress_open.deny) == 0 with input as mock.doc([_nsg([rule])])
}

test_application_security_group_source_passes if {
	rule := object.remove(_rule({"source_application_security_group_ids": ["asg-jump"]}), ["source_address_prefix"])
	count(nsg_ingress_open.deny) == 0 with input as mock.doc([_nsg([rule])])
}

test_deny_rule_is_not_reported if {
	count(nsg_ingress_open.deny) == 0 with input as mock.doc([_nsg([_rule({"access": "Deny"})])])
}

test_outbound_rule_is_not_reported if {
	count(nsg_ingress_open.deny) == 0 with input as mock.doc([_nsg([_rule({"direction": "Outbound", "destination_address_prefix": "Internet"})])])
}

test_rule_shadowed_by_a_lower_priority_deny_is_not_reported if {
	deny := _rule({"name": "deny-internet", "priority": 100, "access": "Deny", "protocol": "*", "destination_port_range": "*", "source_address_prefix": "Internet"})
	count(nsg_ingress_open.deny) == 0 with input as mock.doc([_nsg([deny, _rule({"source_address_prefix": "Internet"})])])

	# A deny of "*" also covers "Internet".
	any := _rule({"name": "deny-any", "priority": 100, "access": "Deny", "protocol": "*", "destination_port_range": "*"})
	count(nsg_ingress_open.deny) == 0 with input as mock.doc([_nsg([any, _rule({"source_address_prefix": "Internet"})])])
}

test_unknown_source_is_not_reported if {
	rule := object.remove(_rule({}), ["source_address_prefix"])
	nsg := object.union(_nsg([rule]), {"unknown": {"security_rule": [{"source_address_prefix": true}]}})
	count(nsg_ingress_open.deny) == 0 with input as mock.doc([nsg])
}

test_aws_rules_are_not_reported_here if {
	sg := mock.resource("aws_security_group", "web", {"ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]})
	count(nsg_ingress_open.deny) == 0 with input as mock.doc([sg])
}

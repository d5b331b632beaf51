package portcullis.azure.network.nsg_egress_unrestricted_test

import data.portcullis.azure.network.nsg_egress_unrestricted
import data.portcullis.lib.mock_test as mock

_app := "azurerm_network_security_group.app"

_tail := "so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered"

_nsg(rules) := mock.resource("azurerm_network_security_group", "app", {
	"name": "app",
	"location": "westeurope",
	"resource_group_name": "rg",
	"security_rule": rules,
})

# _out(overrides) is an outbound allow of everything to the internet unless
# overridden.
_out(overrides) := object.union(
	{
		"name": "all-out",
		"description": "test",
		"priority": 200,
		"direction": "Outbound",
		"access": "Allow",
		"protocol": "*",
		"source_port_range": "*",
		"destination_port_range": "*",
		"source_address_prefix": "*",
		"destination_address_prefix": "Internet",
	},
	overrides,
)

_finding(path, attribute, text) := {
	"resource": _app,
	"attribute": attribute,
	"message": sprintf("Network security group rule %s %s allows %s, %s", [_app, path, text, _tail]),
}

# ---------------------------------------------------------------------------
# Firing

test_everything_to_internet if {
	nsg_egress_unrestricted.deny == {_finding("security_rule.0", "security_rule.0.destination_address_prefix", "Internet to all traffic (every protocol and port)")} with input as mock.doc([_nsg([_out({})])])
}

test_every_tcp_port_to_any_address if {
	rule := _out({"protocol": "Tcp", "destination_address_prefix": "*"})
	nsg_egress_unrestricted.deny == {_finding("security_rule.0", "security_rule.0.destination_address_prefix", "* to every TCP port")} with input as mock.doc([_nsg([rule])])
}

# Port 0 is reserved: 1-65535 is every port.
test_every_udp_port_from_port_one if {
	rule := _out({"protocol": "Udp", "destination_port_range": "1-65535"})
	nsg_egress_unrestricted.deny == {_finding("security_rule.0", "security_rule.0.destination_address_prefix", "Internet to every UDP port")} with input as mock.doc([_nsg([rule])])
}

test_each_internet_destination if {
	rule := object.remove(_out({"destination_address_prefixes": ["0.0.0.0/0", "Storage.WestEurope", "::/0"]}), ["destination_address_prefix"])
	nsg_egress_unrestricted.deny == {
		_finding("security_rule.0", "security_rule.0.destination_address_prefixes.0", "0.0.0.0/0 to all traffic (every protocol and port)"),
		_finding("security_rule.0", "security_rule.0.destination_address_prefixes.2", "::/0 to all traffic (every protocol and port)"),
	} with input as mock.doc([_nsg([rule])])
}

test_standalone_rule if {
	rule := object.union(
		mock.resource("azurerm_network_security_rule", "out", object.union(object.remove(_out({}), ["name"]), {"resource_group_name": "rg"})),
		{"unknown": {"network_security_group_name": true}, "references": [mock.ref("network_security_group_name", _app)]},
	)
	nsg_egress_unrestricted.deny == {{
		"resource": "azurerm_network_security_rule.out",
		"attribute": "destination_address_prefix",
		"message": sprintf("Network security group rule azurerm_network_security_rule.out on %s allows Internet to all traffic (every protocol and port), %s", [_app, _tail]),
	}} with input as mock.doc([_nsg([]), rule])
}

# A deny evaluated later does not restrict it.
test_later_deny_does_not_restrict if {
	deny := _out({"name": "deny", "priority": 4000, "access": "Deny"})
	nsg_egress_unrestricted.deny == {_finding("security_rule.1", "security_rule.1.destination_address_prefix", "Internet to all traffic (every protocol and port)")} with input as mock.doc([_nsg([deny, _out({})])])
}

# A deny of internal destinations evaluated first takes nothing away from the
# internet: it does not restrict the allow.
test_earlier_deny_of_internal_destinations_does_not_restrict if {
	deny := _out({"name": "no-lateral", "priority": 100, "access": "Deny", "destination_address_prefix": "VirtualNetwork"})
	deny_private := object.remove(_out({"name": "no-rfc1918", "priority": 110, "access": "Deny", "destination_address_prefixes": ["10.0.0.0/8", "192.168.0.0/16"]}), ["destination_address_prefix"])
	nsg_egress_unrestricted.deny == {_finding("security_rule.2", "security_rule.2.destination_address_prefix", "Internet to all traffic (every protocol and port)")} with input as mock.doc([_nsg([deny, deny_private, _out({})])])
}

# ---------------------------------------------------------------------------
# Not firing

test_some_ports_pass if {
	count(nsg_egress_unrestricted.deny) == 0 with input as mock.doc([_nsg([_out({"destination_port_range": "443"})])])
	count(nsg_egress_unrestricted.deny) == 0 with input as mock.doc([_nsg([_out({"protocol": "Tcp", "destination_port_range": "1024-65535"})])])
}

test_narrow_destinations_pass if {
	rule := object.remove(_out({"destination_address_prefixes": ["Storage.WestEurope", "AzureMonitor", "10.0.0.0/8", "VirtualNetwork"]}), ["destination_address_prefix"])
	count(nsg_egress_unrestricted.deny) == 0 with input as mock.doc([_nsg([rule])])
}

test_earlier_deny_restricts if {
	deny := _out({"name": "deny-smtp", "priority": 100, "access": "Deny", "protocol": "Tcp", "destination_port_range": "25"})
	count(nsg_egress_unrestricted.deny) == 0 with input as mock.doc([_nsg([deny, _out({})])])
}

test_deny_and_inbound_are_not_reported if {
	count(nsg_egress_unrestricted.deny) == 0 with input as mock.doc([_nsg([_out({"access": "Deny"})])])
	count(nsg_egress_unrestricted.deny) == 0 with input as mock.doc([_nsg([_out({"direction": "Inbound", "source_address_prefix": "10.0.0.0/8"})])])
}

test_unknown_destination_is_not_reported if {
	rule := object.remove(_out({}), ["destination_address_prefix"])
	nsg := object.union(_nsg([rule]), {"unknown": {"security_rule": [{"destination_address_prefix": true}]}})
	count(nsg_egress_unrestricted.deny) == 0 with input as mock.doc([nsg])
}

test_aws_rules_are_not_reported_here if {
	sg := mock.resource("aws_security_group", "app", {"egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]})
	count(nsg_egress_unrestricted.deny) == 0 with input as mock.doc([sg])
}

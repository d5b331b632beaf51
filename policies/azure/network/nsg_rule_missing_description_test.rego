package portcullis.azure.network.nsg_rule_missing_description_test

import data.portcullis.azure.network.nsg_rule_missing_description
import data.portcullis.lib.mock_test as mock

_why := "say what the rule allows and why"

_web := "azurerm_network_security_group.web"

_nsg(rules) := mock.resource("azurerm_network_security_group", "web", {
	"name": "web",
	"location": "westeurope",
	"resource_group_name": "rg",
	"security_rule": rules,
})

_rule(overrides) := object.union(
	{
		"name": "https",
		"priority": 100,
		"direction": "Inbound",
		"access": "Allow",
		"protocol": "Tcp",
		"source_port_range": "*",
		"destination_port_range": "443",
		"source_address_prefix": "10.0.0.0/8",
		"destination_address_prefix": "*",
	},
	overrides,
)

_standalone(name, overrides) := object.union(
	mock.resource("azurerm_network_security_rule", name, object.union(object.remove(_rule(overrides), ["name"]), {"resource_group_name": "rg"})),
	{"unknown": {"network_security_group_name": true}, "references": [mock.ref("network_security_group_name", _web)]},
)

# ---------------------------------------------------------------------------
# Inline rules

test_inline_rules_without_description_are_reported if {
	nsg := _nsg([
		_rule({"description": "HTTPS from the VPN"}),
		_rule({"name": "b", "priority": 110}),
		_rule({"name": "c", "priority": 120, "description": ""}),
		_rule({"name": "d", "priority": 130, "description": " \t "}),
		_rule({"name": "e", "priority": 140, "description": "TODO"}),
	])
	nsg_rule_missing_description.deny == {
		{
			"resource": _web,
			"attribute": "security_rule.1",
			"message": sprintf("Network security group rule %s security_rule.1 has no description; %s", [_web, _why]),
		},
		{
			"resource": _web,
			"attribute": "security_rule.2.description",
			"message": sprintf("Network security group rule %s security_rule.2 has an empty description; %s", [_web, _why]),
		},
		{
			"resource": _web,
			"attribute": "security_rule.3.description",
			"message": sprintf("Network security group rule %s security_rule.3 has an empty description; %s", [_web, _why]),
		},
		{
			"resource": _web,
			"attribute": "security_rule.4.description",
			"message": sprintf("Network security group rule %s security_rule.4 keeps the placeholder description \"TODO\"; %s", [_web, _why]),
		},
	} with input as mock.doc([nsg])
}

# A plan holds every attribute of an inline block, an unset description as
# "": it is reported as missing, at the block.
test_plan_inline_rule_with_unset_description_is_missing if {
	nsg := object.union(_nsg([_rule({"description": ""})]), {"format": "terraform-plan"})
	nsg_rule_missing_description.deny == {{
		"resource": _web,
		"attribute": "security_rule.0",
		"message": sprintf("Network security group rule %s security_rule.0 has no description; %s", [_web, _why]),
	}} with input as mock.doc([nsg])
}

test_inline_rule_with_unknown_description_passes if {
	nsg := object.union(_nsg([_rule({})]), {"unknown": {"security_rule": [{"description": true}]}})
	count(nsg_rule_missing_description.deny) == 0 with input as mock.doc([nsg])
}

test_described_rules_pass if {
	nsg := _nsg([
		_rule({"description": "HTTPS from the VPN"}),
		_rule({"name": "deny", "priority": 4000, "access": "Deny", "protocol": "*", "destination_port_range": "*", "source_address_prefix": "*", "description": "Nothing else"}),
	])
	count(nsg_rule_missing_description.deny) == 0 with input as mock.doc([nsg])
}

# The NSG itself has no description attribute.
test_nsg_without_rules_passes if {
	nsg := mock.resource("azurerm_network_security_group", "web", {"name": "web", "location": "westeurope", "resource_group_name": "rg"})
	count(nsg_rule_missing_description.deny) == 0 with input as mock.doc([nsg])
}

# ---------------------------------------------------------------------------
# Standalone rules

test_standalone_rules_without_description_are_reported if {
	nsg_rule_missing_description.deny == {
		{
			"resource": "azurerm_network_security_rule.missing",
			"attribute": "",
			"message": sprintf("Network security group rule azurerm_network_security_rule.missing on %s has no description; %s", [_web, _why]),
		},
		{
			"resource": "azurerm_network_security_rule.blank",
			"attribute": "description",
			"message": sprintf("Network security group rule azurerm_network_security_rule.blank on %s has an empty description; %s", [_web, _why]),
		},
	} with input as mock.doc([
		_nsg([]),
		_standalone("missing", {}),
		_standalone("blank", {"description": "  "}),
		_standalone("described", {"description": "HTTPS from the VPN"}),
	])
}

test_standalone_rule_with_unknown_description_passes if {
	rule := object.union(_standalone("r", {}), {"unknown": {"network_security_group_name": true, "description": true}})
	count(nsg_rule_missing_description.deny) == 0 with input as mock.doc([rule])
}

test_standalone_rule_without_edge_is_named_alone if {
	rule := mock.resource("azurerm_network_security_rule", "r", object.remove(_rule({"network_security_group_name": "web"}), ["name"]))
	nsg_rule_missing_description.deny == {{
		"resource": "azurerm_network_security_rule.r",
		"attribute": "",
		"message": sprintf("Network security group rule azurerm_network_security_rule.r has no description; %s", [_why]),
	}} with input as mock.doc([rule])
}

# ---------------------------------------------------------------------------
# Other providers

test_aws_rules_are_not_reported_here if {
	sg := mock.resource("aws_security_group", "web", {"ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"]}]})
	count(nsg_rule_missing_description.deny) == 0 with input as mock.doc([sg])
}

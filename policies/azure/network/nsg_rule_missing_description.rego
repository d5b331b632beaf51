# METADATA
# title: Network security group rule without a description
# description: |
#   Network security groups are the main network control in Azure, and an
#   auditor (or the engineer on call) must be able to tell why each rule exists
#   without reverse-engineering the configuration. SOC 2 CC6.1 asks for
#   documented logical access controls, and CC7.1 for being able to spot
#   configuration changes that introduce weaknesses: a rule nobody can explain
#   cannot be reviewed, and is rarely removed.
#
#   The rule reports every NSG rule, written as an inline security_rule block
#   of azurerm_network_security_group or as an azurerm_network_security_rule,
#   whose description is missing, empty or blank, or a placeholder that says
#   nothing ("TODO", "TBD", "n/a", "description", "Managed by Terraform"). A
#   description that cannot be known statically is not reported; in a plan,
#   which shows an unset description of an inline block as "", that block is
#   reported as having none. The network
#   security group itself has no description attribute in the azurerm
#   provider, so only its rules are checked. The severity is medium: a missing
#   description opens nothing by itself, but it is an audit requirement for
#   the documentation of network controls, and it makes every other finding on
#   the group harder to triage.
# custom:
#   id: PCS-AZURE-002
#   name: nsg-rule-missing-description
#   severity: medium
#   precision: very-high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC7.1"
#   remediation: |
#     Describe each rule by what it allows and why (up to 140 characters).
#     The description can be changed in place.
#
#     ```hcl
#     resource "azurerm_network_security_rule" "postgres_from_app" {
#       name                        = "postgres-from-app"
#       description                 = "PostgreSQL from the orders application subnet"
#       priority                    = 110
#       direction                   = "Inbound"
#       access                      = "Allow"
#       protocol                    = "Tcp"
#       source_port_range           = "*"
#       destination_port_range      = "5432"
#       source_address_prefix       = "10.0.2.0/24"
#       destination_address_prefix  = "10.0.3.0/24"
#       resource_group_name         = azurerm_resource_group.main.name
#       network_security_group_name = azurerm_network_security_group.db.name
#     }
#     ```
#   resource_types:
#     - azurerm_network_security_group
#     - azurerm_network_security_rule
package portcullis.azure.network.nsg_rule_missing_description

import data.portcullis.lib.network

_why := "say what the rule allows and why"

_nsg_rules contains rule if {
	some rule in network.rules
	rule.provider == "azure"
	rule.kind == "nsg"
}

deny contains finding if {
	some rule in _nsg_rules
	network.description_missing(rule)
	finding := {
		"resource": rule.resource,
		"attribute": rule.path,
		"message": sprintf("Network security group rule %s has no description; %s", [network.label(rule), _why]),
	}
}

deny contains finding if {
	some rule in _nsg_rules
	trim_space(rule.description) == ""
	not network.description_missing(rule)
	finding := {
		"resource": rule.resource,
		"attribute": rule.description_path,
		"message": sprintf("Network security group rule %s has an empty description; %s", [network.label(rule), _why]),
	}
}

deny contains finding if {
	some rule in _nsg_rules
	network.is_placeholder_description(rule.description)
	finding := {
		"resource": rule.resource,
		"attribute": rule.description_path,
		"message": sprintf("Network security group rule %s keeps the placeholder description \"%s\"; %s", [network.label(rule), rule.description, _why]),
	}
}

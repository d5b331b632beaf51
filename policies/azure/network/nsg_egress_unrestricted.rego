# METADATA
# title: Network security group rule allows unrestricted egress to the internet
# description: |
#   An outbound network security group rule that lets every port leave to the
#   whole internet (destination "*", "Any", the "Internet" service tag, or a
#   CIDR with a prefix length of 0) puts no boundary on outbound traffic: a
#   compromised workload can send data anywhere, reach command-and-control
#   servers and attack other networks. SOC 2 CC6.6 asks for boundary
#   protection in both directions; restricting egress to the destinations a
#   workload needs (service tags such as "Storage.WestEurope" or
#   "AzureMonitor", package mirrors, known APIs) is how it is evidenced.
#
#   The rule reports outbound Allow rules written in the configuration, as
#   inline security_rule blocks of azurerm_network_security_group or as
#   azurerm_network_security_rule, that open every port of every protocol
#   ("*") or of TCP or UDP to the internet, when no Deny rule of the same
#   group is evaluated before them (a lower priority): any earlier outbound
#   deny of the internet ("Internet", "*" or a /0 prefix) that applies to the
#   whole group (every source address and port) is taken as a restriction; a
#   deny of other destinations (VirtualNetwork, private ranges) takes nothing
#   away from the internet. One finding per internet destination. An
#   allow of every protocol on some ports only ("*" on port 443) is not
#   unrestricted. Azure adds the default rule AllowInternetOutBound (priority
#   65001) to every group; it is not in the configuration and is not reported:
#   restricting egress means adding a Deny of the "Internet" tag above it,
#   which this rule then takes into account.
#
#   The severity is low: unrestricted egress is the Azure default and common,
#   and it opens nothing inbound, but it is the control an auditor samples for
#   data exfiltration.
# custom:
#   id: PCS-AZURE-003
#   name: nsg-egress-unrestricted
#   severity: low
#   precision: very-high
#   controls:
#     - "SOC2:CC6.6"
#   remediation: |
#     Allow only the destinations and ports the workload needs, preferably
#     through service tags, and deny the rest of the internet with a rule of
#     higher priority number than those allows (it overrides the default
#     AllowInternetOutBound).
#
#     ```hcl
#     resource "azurerm_network_security_group" "app" {
#       name                = "app"
#       location            = azurerm_resource_group.main.location
#       resource_group_name = azurerm_resource_group.main.name
#
#       security_rule {
#         name                       = "https-to-storage"
#         description                = "HTTPS to Azure Storage in West Europe"
#         priority                   = 100
#         direction                  = "Outbound"
#         access                     = "Allow"
#         protocol                   = "Tcp"
#         source_port_range          = "*"
#         destination_port_range     = "443"
#         source_address_prefix      = "VirtualNetwork"
#         destination_address_prefix = "Storage.WestEurope"
#       }
#
#       security_rule {
#         name                       = "deny-internet"
#         description                = "No other traffic to the internet"
#         priority                   = 4000
#         direction                  = "Outbound"
#         access                     = "Deny"
#         protocol                   = "*"
#         source_port_range          = "*"
#         destination_port_range     = "*"
#         source_address_prefix      = "*"
#         destination_address_prefix = "Internet"
#       }
#     }
#     ```
#   resource_types:
#     - azurerm_network_security_group
#     - azurerm_network_security_rule
package portcullis.azure.network.nsg_egress_unrestricted

import data.portcullis.lib.network

deny contains network.open_egress_finding(exposure) if {
	some exposure in network.open_egress
	exposure.rule.provider == "azure"
}

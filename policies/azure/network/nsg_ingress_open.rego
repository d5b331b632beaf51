# METADATA
# title: Network security group rule open to the internet
# description: |
#   An inbound network security group rule that allows traffic from any
#   address ("*", "Any", the "Internet" service tag, or a CIDR with a prefix
#   length of 0 such as 0.0.0.0/0 or ::/0) lets every host on the internet
#   reach the subnets and network interfaces the group is associated with, on
#   the ports it opens. Scanners find such openings within minutes, and a
#   reachable SSH, RDP, database or cluster API port is the usual first step of
#   a compromise: brute force, exploitation of an unpatched service, or direct
#   access to data. Network access should be limited to the sources that need
#   it (SOC 2 CC6.1 logical access, CC6.6 boundary protection; CIS Microsoft
#   Azure Foundations Benchmark 2.0.0 6.1 RDP, 6.2 SSH, 6.3 UDP and 6.4
#   HTTP(S) access from the internet).
#
#   The rule reads both forms of NSG rule through the normalised network model
#   (portcullis.lib.network): inline security_rule blocks of
#   azurerm_network_security_group, and azurerm_network_security_rule joined to
#   its group through the reference of network_security_group_name. Azure
#   evaluates a group's rules in priority order, lowest first, so an allow is
#   judged on what it actually admits: a deny of the internet with a lower
#   priority in the same group takes its ports away (the finding then says
#   so), and an allow that is denied completely is not reported. A deny only
#   counts when it applies to all the traffic of the allow: every destination
#   ("*", "Any", "VirtualNetwork") and every source port.
#
#   There is one finding per internet source (an element of
#   source_address_prefixes, or source_address_prefix), pointing at it. The
#   severity comes from the port catalogue (portcullis.lib.ports): critical
#   when the rule opens every port, or a port of remote administration, a
#   database, cache, search engine, message queue, file share or container
#   control plane; high for web and monitoring ports, other ports and
#   port-less protocols (ICMP, ESP, AH). Sources that are narrower service
#   tags ("VirtualNetwork", "AzureLoadBalancer", regional tags), CIDRs,
#   single addresses or application security groups are not reported, nor a
#   source that cannot be known statically, Deny rules or outbound rules.
# custom:
#   id: PCS-AZURE-001
#   name: nsg-ingress-open-to-internet
#   severity: critical
#   precision: very-high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC6.6"
#     - "CIS-Azure-2.0:6.1"
#     - "CIS-Azure-2.0:6.2"
#     - "CIS-Azure-2.0:6.3"
#     - "CIS-Azure-2.0:6.4"
#   remediation: |
#     Allow only the sources that need access: an office or VPN range, a peered
#     network, or an application security group. Reach administration ports
#     through Azure Bastion or a VPN gateway instead of opening them to the
#     internet. If a service really is public (HTTPS behind Application
#     Gateway or Front Door), open only its port, to the front end's subnet.
#
#     ```hcl
#     resource "azurerm_network_security_group" "web" {
#       name                = "web"
#       location            = azurerm_resource_group.main.location
#       resource_group_name = azurerm_resource_group.main.name
#
#       security_rule {
#         name                       = "https-from-app-gateway"
#         description                = "HTTPS from the Application Gateway subnet"
#         priority                   = 100
#         direction                  = "Inbound"
#         access                     = "Allow"
#         protocol                   = "Tcp"
#         source_port_range          = "*"
#         destination_port_range     = "443"
#         source_address_prefix      = "10.0.1.0/24"
#         destination_address_prefix = "VirtualNetwork"
#       }
#     }
#     ```
#   resource_types:
#     - azurerm_network_security_group
#     - azurerm_network_security_rule
package portcullis.azure.network.nsg_ingress_open

import data.portcullis.lib.network

deny contains network.open_ingress_finding(exposure) if {
	some exposure in network.open_ingress
	exposure.rule.provider == "azure"
}

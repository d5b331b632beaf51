# An insecure Azure network: every Azure rule fires here at least once. Each
# finding is named in the comment above the line it points at.

resource "azurerm_resource_group" "legacy" {
  name     = "legacy-rg"
  location = "westeurope"
}

resource "azurerm_network_security_group" "legacy_vm" {
  name                = "legacy-vm-nsg"
  location            = azurerm_resource_group.legacy.location
  resource_group_name = azurerm_resource_group.legacy.name

  security_rule {
    name                   = "ssh"
    description            = "SSH for the operations team"
    priority               = 100
    direction              = "Inbound"
    access                 = "Allow"
    protocol               = "Tcp"
    source_port_range      = "*"
    destination_port_range = "22"
    # PCS-AZURE-001 (NSG open ingress, critical): SSH from any address.
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  # PCS-AZURE-002 (NSG rule description): this rule has none.
  security_rule {
    name                    = "remote-admin"
    priority                = 110
    direction               = "Inbound"
    access                  = "Allow"
    protocol                = "Tcp"
    source_port_range       = "*"
    destination_port_ranges = ["443", "3389"]
    # PCS-AZURE-001 (NSG open ingress, critical): RDP and HTTPS from the
    # Internet service tag (the other source, a narrow range, is fine).
    source_address_prefixes    = ["198.51.100.0/24", "Internet"]
    destination_address_prefix = "*"
  }

  # Deny SMB from the internet first: the allow below is reported for what is
  # left.
  security_rule {
    name                       = "deny-smb"
    description                = "No SMB from the internet"
    priority                   = 120
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "445"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }

  security_rule {
    name                   = "file-shares"
    description            = "File shares for the branch offices"
    priority               = 130
    direction              = "Inbound"
    access                 = "Allow"
    protocol               = "Tcp"
    source_port_range      = "*"
    destination_port_range = "440-450"
    # PCS-AZURE-001 (NSG open ingress, high): ports 440-444 and 446-450 from
    # 0.0.0.0/0 (445 is denied by deny-smb, evaluated before it).
    source_address_prefix      = "0.0.0.0/0"
    destination_address_prefix = "*"
  }

  security_rule {
    name = "all-out"
    # PCS-AZURE-002 (NSG rule description): an empty description.
    description            = ""
    priority               = 100
    direction              = "Outbound"
    access                 = "Allow"
    protocol               = "*"
    source_port_range      = "*"
    destination_port_range = "*"
    source_address_prefix  = "*"
    # PCS-AZURE-003 (NSG egress unrestricted): everything to the internet.
    destination_address_prefix = "Internet"
  }
}

resource "azurerm_network_security_rule" "postgres" {
  name = "postgres"
  # PCS-AZURE-002 (NSG rule description): a placeholder says nothing.
  description            = "TODO"
  priority               = 140
  direction              = "Inbound"
  access                 = "Allow"
  protocol               = "Tcp"
  source_port_range      = "*"
  destination_port_range = "5432"
  # PCS-AZURE-001 (NSG open ingress, critical): PostgreSQL from any address.
  source_address_prefix       = "*"
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = azurerm_resource_group.legacy.name
  network_security_group_name = azurerm_network_security_group.legacy_vm.name
}

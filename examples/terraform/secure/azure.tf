# A secure Azure network: no Portcullis rule fires here. It shows the patterns
# the Azure rules ask for.

resource "azurerm_resource_group" "main" {
  name     = "orders-rg"
  location = "westeurope"
}

resource "azurerm_application_security_group" "jump" {
  name                = "jump-hosts"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_network_security_group" "web" {
  name                = "web-nsg"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name

  # Public HTTPS is what the web tier is for; the rest of the internet is
  # denied first, so this allow admits nothing from it.
  security_rule {
    name                       = "deny-internet"
    description                = "Nothing from the internet reaches the web servers directly"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "https-from-gateway"
    description                = "HTTPS from the Application Gateway subnet"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "10.0.1.0/24"
    destination_address_prefix = "VirtualNetwork"
  }

  security_rule {
    name                                  = "ssh-from-jump-hosts"
    description                           = "SSH from the jump hosts only"
    priority                              = 120
    direction                             = "Inbound"
    access                                = "Allow"
    protocol                              = "Tcp"
    source_port_range                     = "*"
    destination_port_range                = "22"
    source_application_security_group_ids = [azurerm_application_security_group.jump.id]
    destination_address_prefix            = "VirtualNetwork"
  }

  # Egress goes to the Azure services the application uses, and nothing else
  # to the internet (this deny overrides the default AllowInternetOutBound).
  security_rule {
    name                       = "https-to-storage"
    description                = "HTTPS to Azure Storage in West Europe"
    priority                   = 100
    direction                  = "Outbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "Storage.WestEurope"
  }

  security_rule {
    name                       = "deny-internet-out"
    description                = "No other traffic to the internet"
    priority                   = 4000
    direction                  = "Outbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "Internet"
  }
}

resource "azurerm_network_security_group" "db" {
  name                = "db-nsg"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_network_security_rule" "postgres_from_app" {
  name                        = "postgres-from-app"
  description                 = "PostgreSQL from the orders application subnet"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "5432"
  source_address_prefix       = "10.0.2.0/24"
  destination_address_prefix  = "10.0.3.0/24"
  resource_group_name         = azurerm_resource_group.main.name
  network_security_group_name = azurerm_network_security_group.db.name
}

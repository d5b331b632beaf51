package portcullis.lib.network_exposure_test

import data.portcullis.aws.ec2.open_ingress
import data.portcullis.azure.network.nsg_ingress_open
import data.portcullis.lib.mock_test as mock
import data.portcullis.lib.network

# The port settings of the configuration file (.portcullis.yaml ports),
# as config.PortsData puts them in the store.

_sg(ingress) := mock.doc([mock.resource("aws_security_group", "web", {
	"name": "web",
	"description": "test group",
	"vpc_id": "vpc-0123",
	"ingress": ingress,
})])

_tcp(from, to) := {"from_port": from, "to_port": to, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"], "description": "test"}

_finding(message, severity) := {
	"resource": "aws_security_group.web",
	"attribute": "ingress.0.cidr_blocks.0",
	"message": sprintf("Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to %s", [message]),
	"severity": severity,
}

_redis_tls := {"catalogue": {"6380": {"service": "Redis (TLS)", "category": "cache"}}}

test_unlisted_port_is_high if {
	open_ingress.deny == {_finding("TCP port 6380", "high")} with input as _sg([_tcp(6380, 6380)])
}

test_configured_catalogue_port_changes_severity if {
	open_ingress.deny == {_finding("TCP port 6380 (Redis (TLS))", "critical")} with input as _sg([_tcp(6380, 6380)])
		with data.portcullis.config.ports as _redis_tls
}

test_configured_catalogue_port_is_named_in_ranges if {
	open_ingress.deny == {_finding("TCP ports 6370-6390 including 6379 (Redis), 6380 (Redis (TLS))", "critical")} with input as _sg([_tcp(6370, 6390)])
		with data.portcullis.config.ports as _redis_tls
}

test_configured_catalogue_overrides_builtin_entry if {
	open_ingress.deny == {_finding("TCP port 8080 (Admin console)", "critical")} with input as _sg([_tcp(8080, 8080)])
		with data.portcullis.config.ports as {"catalogue": {"8080": {"service": "Admin console", "category": "admin"}}}
}

test_public_port_is_not_reported if {
	open_ingress.deny == set() with input as _sg([_tcp(443, 443)])
		with data.portcullis.config.ports as {"public": [80, 443]}
}

test_public_port_is_reported_without_configuration if {
	open_ingress.deny == {_finding("TCP port 443 (HTTPS)", "high")} with input as _sg([_tcp(443, 443)])
}

test_range_of_public_ports_is_not_reported if {
	open_ingress.deny == set() with input as _sg([_tcp(8080, 8081)])
		with data.portcullis.config.ports as {"public": [8081, 8080]}
}

test_range_beyond_public_ports_is_reported if {
	open_ingress.deny == {_finding(
		"TCP ports 80-443 including 111 (rpcbind), 135 (MSRPC), 137 (NetBIOS name), 138 (NetBIOS datagram), 139 (NetBIOS session), 389 (LDAP)",
		"critical",
	)} with input as _sg([_tcp(80, 443)])
		with data.portcullis.config.ports as {"public": [80, 443]}
}

test_only_the_non_public_rule_is_reported if {
	open_ingress.deny == {object.union(_finding("TCP port 22 (SSH)", "critical"), {
		"attribute": "ingress.1.cidr_blocks.0",
		"message": "Security group rule aws_security_group.web ingress.1 allows 0.0.0.0/0 to TCP port 22 (SSH)",
	})} with input as _sg([_tcp(443, 443), _tcp(22, 22)])
		with data.portcullis.config.ports as {"public": [443]}
}

test_all_protocols_is_never_public_only if {
	e := {"rule": {"port_based": true, "ports_known": true, "all_protocols": true}, "ranges": [{"from": 443, "to": 443}]}
	not network.public_only(e) with data.portcullis.config.ports as {"public": [443]}
}

test_unknown_or_portless_is_never_public_only if {
	unknown := {"rule": {"port_based": true, "ports_known": false, "all_protocols": false}, "ranges": []}
	not network.public_only(unknown) with data.portcullis.config.ports as {"public": [443]}
	icmp := {"rule": {"port_based": false, "ports_known": true, "all_protocols": false}, "ranges": []}
	not network.public_only(icmp) with data.portcullis.config.ports as {"public": [443]}
}

test_azure_public_port_is_not_reported if {
	nsg := mock.resource("azurerm_network_security_group", "web", {
		"name": "web",
		"security_rule": [{
			"name": "https",
			"priority": 100,
			"direction": "Inbound",
			"access": "Allow",
			"protocol": "Tcp",
			"source_address_prefix": "*",
			"source_port_range": "*",
			"destination_address_prefix": "*",
			"destination_port_range": "443",
		}],
	})
	count(nsg_ingress_open.deny) == 1 with input as mock.doc([nsg])
	nsg_ingress_open.deny == set() with input as mock.doc([nsg])
		with data.portcullis.config.ports as {"public": [443]}
}

package portcullis.lib.ports_test

import data.portcullis.lib.ports

test_sensitive_ports_named if {
	ports.sensitive[22] == "SSH"
	ports.sensitive[3389] == "RDP"
	ports.sensitive[3306] == "MySQL"
	ports.sensitive[6379] == "Redis"
	not 443 in object.keys(ports.sensitive)
	not 80 in object.keys(ports.sensitive)
}

test_sensitive_ports_are_ports if {
	every p, name in ports.sensitive {
		is_number(p)
		ports.range_includes(0, 65535, p)
		name != ""
	}
}

test_normalise_protocol if {
	ports.normalise_protocol("tcp") == "tcp"
	ports.normalise_protocol("TCP") == "tcp"
	ports.normalise_protocol(" udp ") == "udp"
	ports.normalise_protocol("6") == "tcp"
	ports.normalise_protocol(6) == "tcp"
	ports.normalise_protocol("17") == "udp"
	ports.normalise_protocol("1") == "icmp"
	ports.normalise_protocol("58") == "icmpv6"
	ports.normalise_protocol("-1") == "-1"
	ports.normalise_protocol(-1) == "-1"
	ports.normalise_protocol("all") == "-1"
	ports.normalise_protocol("ALL") == "-1"
	ports.normalise_protocol("50") == "50"
}

test_port_based if {
	ports.port_based("tcp")
	ports.port_based("udp")
	ports.port_based("-1")
	not ports.port_based("icmp")
	not ports.port_based("icmpv6")
	not ports.port_based("50")
}

test_to_port_number if {
	ports.to_port_number(22) == 22
	ports.to_port_number("22") == 22
	ports.to_port_number(" 22 ") == 22
	ports.to_port_number("-1") == -1
	not ports.to_port_number("ssh")
	not ports.to_port_number(true)
	not ports.to_port_number(null)
}

test_range_includes if {
	ports.range_includes(20, 25, 22)
	ports.range_includes(22, 22, 22)
	ports.range_includes(0, 65535, 0)
	not ports.range_includes(23, 25, 22)
	not ports.range_includes(443, 443, 22)
}

test_includes_tcp_ranges if {
	rule := {"port_based": true, "ports_known": true, "ranges": [{"from": 20, "to": 25}, {"from": 80, "to": 80}]}
	ports.includes(rule, 22)
	ports.includes(rule, 80)
	not ports.includes(rule, 26)
}

test_includes_not_for_icmp if {
	not ports.includes({"port_based": false, "ports_known": true, "ranges": [{"from": 22, "to": 22}]}, 22)
}

test_includes_not_for_unknown_ports if {
	not ports.includes({"port_based": true, "ports_known": false, "ranges": []}, 22)
}

test_sensitive_in_sorted_across_ranges if {
	ports.sensitive_in([{"from": 6379, "to": 6379}, {"from": 3000, "to": 3389}, {"from": 22, "to": 22}]) == [22, 3306, 3389, 6379]
}

test_sensitive_in_none if {
	ports.sensitive_in([{"from": 443, "to": 443}, {"from": 8090, "to": 8099}]) == []
}

test_catalogue_categories_have_severities if {
	every _, entry in ports.catalogue {
		ports.categories[entry.category] in {"critical", "high"}
	}
}

test_web_and_monitoring_are_high_not_critical if {
	ports.categories[ports.catalogue[443].category] == "high"
	ports.categories[ports.catalogue[80].category] == "high"
	ports.categories[ports.catalogue[9090].category] == "high"
	not ports.sensitive[443]
	ports.sensitive[6379] == "Redis"
}

test_label if {
	ports.label(22) == "22 (SSH)"
	ports.label(443) == "443 (HTTPS)"
	ports.label(8081) == "8081"
}

test_normalise_protocol_other_providers if {
	ports.normalise_protocol("*") == "-1"
	ports.normalise_protocol("Tcp") == "tcp"
	ports.normalise_protocol("132") == "sctp"
	ports.port_based("sctp")
}

test_fsbp_high_risk_and_legacy_admin_ports_are_catalogued if {
	# AWS FSBP EC2.19's high-risk ports and the remote-access services that
	# never belong on the internet.
	every p in [20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3306, 3389, 4333, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300, 111, 389, 512, 513, 514, 623, 1099, 2181] {
		ports.catalogue[p]
	}
	ports.categories[ports.catalogue[25].category] == "high"
	ports.categories[ports.catalogue[623].category] == "critical"
}

test_configured_catalogue_is_merged if {
	cfg := {"catalogue": {"6380": {"service": "Redis (TLS)", "category": "cache"}, "443": {"service": "Admin API", "category": "admin"}}}
	ports.catalogue[6380] == {"service": "Redis (TLS)", "category": "cache"} with data.portcullis.config.ports as cfg
	ports.catalogue[443] == {"service": "Admin API", "category": "admin"} with data.portcullis.config.ports as cfg
	ports.catalogue[22] == {"service": "SSH", "category": "admin"} with data.portcullis.config.ports as cfg
	ports.sensitive[6380] == "Redis (TLS)" with data.portcullis.config.ports as cfg
	ports.sensitive[443] == "Admin API" with data.portcullis.config.ports as cfg
	ports.label(6380) == "6380 (Redis (TLS))" with data.portcullis.config.ports as cfg
	not ports.catalogue[6380]
	ports.label(6380) == "6380"
}

test_public_ports if {
	ports.public == {80, 443} with data.portcullis.config.ports as {"public": [443, 80]}
	ports.public == set() with data.portcullis.config.ports as {"catalogue": {}}
	ports.public == set()
}

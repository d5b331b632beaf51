package acme.network.egress_all_test

import data.acme.network.egress_all

test_all_ports_to_internet if {
	egress_all.deny == {{
		"resource": "aws_security_group.a",
		"attribute": "egress.0.cidr_blocks.0",
		"message": "aws_security_group.a allows egress to 0.0.0.0/0 on every protocol and port",
	}} with input as {"resources": {"aws_security_group.a": {
		"address": "aws_security_group.a", "type": "aws_security_group", "mode": "managed",
		"values": {"egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]},
		"unknown": {}, "references": [], "referenced_by": [],
	}}}
}

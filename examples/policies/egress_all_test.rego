package acme.network.egress_all_test

import data.acme.network.egress_all

test_all_ports_to_internet if {
	inp := portcullis.terraform({"main.tf": `
resource "aws_security_group" "a" {
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`})
	egress_all.deny == {{
		"resource": "aws_security_group.a",
		"attribute": "egress.0.cidr_blocks.0",
		"message": "aws_security_group.a allows egress to 0.0.0.0/0 on every protocol and port",
	}} with input as inp
}

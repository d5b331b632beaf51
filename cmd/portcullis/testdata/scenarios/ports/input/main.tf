resource "aws_security_group_rule" "https" {
  type              = "ingress"
  description       = "HTTPS"
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "console" {
  type              = "ingress"
  description       = "console"
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = 8443
  to_port           = 8443
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "web" {
  type              = "ingress"
  description       = "web range"
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = 80
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}

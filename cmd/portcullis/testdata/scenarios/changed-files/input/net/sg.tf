resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  description       = "RDP"
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_blocks       = ["0.0.0.0/0"]
}

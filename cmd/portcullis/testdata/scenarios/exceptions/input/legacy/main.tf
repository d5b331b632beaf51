resource "aws_security_group_rule" "ftp" {
  type              = "ingress"
  description       = "FTP for the old partner feed"
  security_group_id = "sg-1"
  protocol          = "tcp"
  from_port         = 21
  to_port           = 21
  cidr_blocks       = ["0.0.0.0/0"]
}

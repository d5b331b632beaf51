resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  description       = "SSH from the office"
  security_group_id = "sg-123"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"] # portcullis:ignore PCS-AWS-001 reason="bastion, approved" owner=net-team ticket=SEC-1 expires=2027-06-30
}

resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  description       = "RDP"
  security_group_id = "sg-123"
  protocol          = "tcp"
  from_port         = 3389
  to_port           = 3389
  # portcullis:ignore PCS-AWS-001 reason="jump host during migration" owner=ops
  cidr_blocks = ["0.0.0.0/0"]
}

# portcullis:ignore PCS-AWS-001 reason="public web tier" owner=web expires=2027-01-31
resource "aws_security_group_rule" "https" {
  type              = "ingress"
  description       = "HTTPS"
  security_group_id = "sg-123"
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}

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

# portcullis:ignore PCS-AWS-001 reason="temporary" expires=2026-11-30
resource "aws_security_group_rule" "expired" {
  type              = "ingress"
  description       = "Redis, temporarily"
  security_group_id = "sg-123"
  protocol          = "tcp"
  from_port         = 6379
  to_port           = 6379
  cidr_blocks       = ["0.0.0.0/0"]
}

# portcullis:ignore PCS-AWS-004 reason="nothing to ignore here"
resource "aws_security_group_rule" "private" {
  type              = "ingress"
  description       = "private"
  security_group_id = "sg-123"
  protocol          = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_blocks       = ["10.0.0.0/8"]
}

# portcullis:ignore PCS-AWS-001
resource "aws_security_group_rule" "noreason" {
  type              = "ingress"
  description       = "MongoDB"
  security_group_id = "sg-123"
  protocol          = "tcp"
  from_port         = 27017
  to_port           = 27017
  cidr_blocks       = ["0.0.0.0/0"]
}

# portcullis:ignore * reason="the shared edge module is reviewed by the network team" owner=net-team ticket=NET-7
module "edge" {
  source = "./modules/sg"
  port   = 8080
}

variable "ssh_cidr" {
  description = "Where SSH is allowed from."
  type        = string
  default     = "0.0.0.0/0"
}

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "SSH bastion"
  vpc_id      = "vpc-0123456789abcdef0"
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  security_group_id = aws_security_group.bastion.id
  description       = "SSH"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = var.ssh_cidr
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.bastion.id
  description       = "HTTPS for the status page"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  # portcullis:ignore PCS-AWS-001 the public status page, approved in SEC-42
  cidr_ipv4 = "0.0.0.0/0"
}

module "network" {
  source = "example-org/network/aws"
}

# A reusable bastion security group: SSH from the CIDRs its caller allows.

variable "name" {
  description = "Name of the security group."
  type        = string
}

variable "vpc_id" {
  description = "VPC to create the group in."
  type        = string
}

variable "admin_cidrs" {
  description = "Networks allowed to reach SSH."
  type        = list(string)
}

resource "aws_security_group" "this" {
  name        = var.name
  description = "Bastion host: SSH from the admin networks"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "ssh" {
  for_each = toset(var.admin_cidrs)

  security_group_id = aws_security_group.this.id
  description       = "SSH from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = each.value
}

output "security_group_id" {
  value = aws_security_group.this.id
}

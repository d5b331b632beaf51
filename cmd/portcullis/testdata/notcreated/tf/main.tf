variable "create" {
  type    = bool
  default = false
}

variable "rules" {
  type    = map(string)
  default = {}
}

module "vpc" {
  source = "./vpc"
  create = var.create
}

resource "aws_security_group_rule" "ingress" {
  for_each          = var.rules
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [each.value]
  security_group_id = "sg-0123456789abcdef0"
}

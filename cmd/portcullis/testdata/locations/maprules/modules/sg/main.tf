variable "create" {
  type    = bool
  default = true
}

variable "vpc_id" {
  type = string
}

variable "rules" {
  type = map(object({
    from_port   = number
    to_port     = number
    ip_protocol = string
    cidr_ipv4   = string
    description = optional(string)
  }))
  default = {}
}

resource "aws_security_group" "this" {
  count       = var.create ? 1 : 0
  name        = "web"
  description = "web servers"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each = var.create ? var.rules : {}

  security_group_id = aws_security_group.this[0].id
  from_port         = each.value.from_port
  to_port           = each.value.to_port
  ip_protocol       = each.value.ip_protocol
  cidr_ipv4         = each.value.cidr_ipv4
  description       = each.value.description
}

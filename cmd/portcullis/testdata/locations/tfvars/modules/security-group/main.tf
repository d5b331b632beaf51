variable "create" {
  type    = bool
  default = true
}

variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "ingress_rules" {
  type = list(object({
    from_port   = number
    to_port     = number
    protocol    = string
    cidr_blocks = list(string)
    description = string
  }))
  default = []
}

resource "aws_security_group" "this" {
  count       = var.create ? 1 : 0
  name        = var.name
  description = "managed by the security-group module"
  vpc_id      = var.vpc_id
}

resource "aws_security_group_rule" "ingress" {
  count = var.create ? length(var.ingress_rules) : 0

  type              = "ingress"
  security_group_id = aws_security_group.this[0].id
  from_port         = var.ingress_rules[count.index].from_port
  to_port           = var.ingress_rules[count.index].to_port
  protocol          = var.ingress_rules[count.index].protocol
  cidr_blocks       = var.ingress_rules[count.index].cidr_blocks
  description       = var.ingress_rules[count.index].description
}

output "id" {
  value = try(aws_security_group.this[0].id, null)
}

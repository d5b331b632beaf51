variable "vpc_id" {
  type = string
}

variable "ingress_with_cidr_blocks" {
  type    = list(map(string))
  default = []
}

variable "ingress_cidr_blocks" {
  type    = list(string)
  default = []
}

resource "aws_security_group" "this" {
  name        = "complete"
  description = "reshaped rules"
  vpc_id      = var.vpc_id
}

resource "aws_security_group_rule" "ingress_with_cidr_blocks" {
  count = length(var.ingress_with_cidr_blocks)

  type              = "ingress"
  security_group_id = aws_security_group.this.id
  from_port         = lookup(var.ingress_with_cidr_blocks[count.index], "from_port", 0)
  to_port           = lookup(var.ingress_with_cidr_blocks[count.index], "to_port", 0)
  protocol          = lookup(var.ingress_with_cidr_blocks[count.index], "protocol", "tcp")
  description       = lookup(var.ingress_with_cidr_blocks[count.index], "description", "Ingress Rule")
  cidr_blocks = compact(split(",",
    lookup(var.ingress_with_cidr_blocks[count.index], "cidr_blocks", join(",", var.ingress_cidr_blocks)),
  ))
}

variable "create" {
  type = bool
}

resource "aws_default_vpc" "this" {
  count = var.create ? 1 : 0
}

resource "aws_default_security_group" "this" {
  count  = var.create ? 1 : 0
  vpc_id = aws_default_vpc.this[0].id
}

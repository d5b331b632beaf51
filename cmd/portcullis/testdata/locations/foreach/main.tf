variable "rules" {
  type = map(object({
    port = number
    cidr = string
  }))
}

resource "aws_security_group" "app" {
  name        = "app"
  description = "application servers"
  vpc_id      = "vpc-0123456789abcdef0"
}

resource "aws_security_group_rule" "app" {
  for_each = var.rules

  type              = "ingress"
  security_group_id = aws_security_group.app.id
  protocol          = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_blocks       = [each.value.cidr]
}

variable "vpc_id" {
  type = string
}

resource "aws_security_group" "x" {
  name   = "net-x"
  vpc_id = var.vpc_id

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_security_group_rule" "egress" {
  type              = "egress"
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["10.0.0.0/8", "${aws_eip.nat.public_ip}/32"]
  security_group_id = aws_security_group.x.id
}

output "sg_id" {
  value = aws_security_group.x.id
}

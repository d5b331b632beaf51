resource "aws_security_group" "open" {
  description = "open"
  vpc_id      = "vpc-1"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "many" {
  count       = 10000
  description = "many"
  vpc_id      = "vpc-1"
  dynamic "ingress" {
    for_each = flatten([for a in range(100) : [for b in range(100) : a * 100 + b]])
    content {
      description = "r"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}

variable "port" {
  type = number
}

resource "aws_security_group" "edge" {
  name        = "edge"
  description = "edge"
  vpc_id      = "vpc-1"

  ingress {
    description = "edge port"
    protocol    = "tcp"
    from_port   = var.port
    to_port     = var.port
    cidr_blocks = ["0.0.0.0/0"]
  }
}

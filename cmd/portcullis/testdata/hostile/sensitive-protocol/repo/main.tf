variable "proto" {
  type      = string
  sensitive = true
  default   = "Tcp"
}

variable "cidr" {
  type      = string
  sensitive = true
  default   = "0.0.0.0/0"
}

resource "aws_security_group" "s" {
  description = "s"
  vpc_id      = "vpc-1"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = var.proto
    cidr_blocks = [var.cidr]
  }
}

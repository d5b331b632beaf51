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

variable "secret" {
  type      = string
  sensitive = true
  default   = "FUNCSECRETVALUE"
}

locals {
  a = tobool(var.secret)
  b = tonumber(var.secret)
  c = cidrhost(var.secret, 1)
  d = regex("^(\\d+)$", var.secret)
  e = { for k in [var.secret, var.secret] : k => 1 }
}

resource "aws_s3_bucket" "b" {
  bucket = "${local.a}${local.b}${local.c}${local.d[0]}${local.e["x"]}"
}

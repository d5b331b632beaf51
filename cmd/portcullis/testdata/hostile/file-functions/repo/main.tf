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

locals {
  git    = file(".git/config")
  up     = file("../outside/secret.txt")
  abs    = file("/etc/hostname")
  linked = file("link.txt")
}

resource "aws_s3_bucket" "b" {
  bucket = "${local.git}${local.up}${local.abs}${local.linked}"
}

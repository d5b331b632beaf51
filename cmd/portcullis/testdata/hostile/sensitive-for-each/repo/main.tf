variable "names" {
  type      = set(string)
  sensitive = true
  default   = ["SENSITIVEKEYVALUE"]
}

resource "aws_security_group" "by_name" {
  for_each    = var.names
  name        = each.key
  description = "x"
  vpc_id      = "vpc-1"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

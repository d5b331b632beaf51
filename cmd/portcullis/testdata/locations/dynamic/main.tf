resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "bastion hosts"
  vpc_id      = "vpc-0123456789abcdef0"

  dynamic "ingress" {
    for_each = [
      { port = 443, cidr = "10.0.0.0/8", why = "HTTPS inside" },
      { port = 22, cidr = "0.0.0.0/0", why = "SSH" },
    ]
    content {
      description = ingress.value.why
      protocol    = "tcp"
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      cidr_blocks = [ingress.value.cidr]
    }
  }
}

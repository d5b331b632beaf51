variable "db_password" {}
resource "aws_security_group" "open" {
  for_each    = toset([var.db_password])
  description = "d"
  vpc_id      = "vpc-1"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

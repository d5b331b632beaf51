resource "aws_security_group" "old" {
  name        = "old"
  description = "legacy"
  vpc_id      = "vpc-1"

  ingress {
    description = "telnet"
    protocol    = "tcp"
    from_port   = 23
    to_port     = 23
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "broken" {

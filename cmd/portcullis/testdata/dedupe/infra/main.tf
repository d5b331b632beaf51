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

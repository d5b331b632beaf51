resource "aws_security_group" "old" {
  name        = "old"
  description = "legacy, in the baseline"
  vpc_id      = "vpc-1"

  ingress {
    description = "SSH"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    "data-classification" = "internal"
  }
}

resource "aws_security_group" "new" {
  name        = "new"
  description = "no classification tag"
  vpc_id      = "vpc-1"

  egress {
    description = "anywhere"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "open" {
  description = "open"
  vpc_id      = "vpc-1"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [trimspace(file("${path.module}/_darcs/cidr"))]
  }
}
resource "aws_security_group" "fs" {
  description = "open"
  vpc_id      = "vpc-1"
  dynamic "ingress" {
    for_each = fileset(path.module, "**/*.cidr")
    content {
      description = "ssh"
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = [trimspace(file("${path.module}/${ingress.value}"))]
    }
  }
}

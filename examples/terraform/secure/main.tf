# A secure network baseline: no Portcullis rule fires here. It shows the
# patterns the rules ask for.

variable "office_cidr" {
  description = "The office network administrators connect from."
  type        = string
  default     = "203.0.113.0/24"
}

# An explicit VPC instead of the default one (its flow log is in network.tf).
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

# The default security group brought under management with no rules: it
# then denies all traffic (CIS AWS 5.4).
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "lb" {
  name        = "lb"
  description = "Load balancer: HTTPS from the office"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTPS from the office"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.office_cidr]
  }

  egress {
    description     = "To the application tier"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_security_group" "app" {
  name        = "app"
  description = "Application tier: only from the load balancer"
  vpc_id      = aws_vpc.main.id
}

# Security-group-to-security-group reference: no CIDR at all.
resource "aws_vpc_security_group_ingress_rule" "app_from_lb" {
  security_group_id            = aws_security_group.app.id
  description                  = "HTTP from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.lb.id
}

resource "aws_security_group_rule" "app_egress" {
  type              = "egress"
  description       = "HTTPS to the internet for package updates"
  security_group_id = aws_security_group.app.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_instance" "app" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

# An insecure network baseline: every Portcullis rule fires here at least
# once. Each finding is named in the comment above the line it points at.

variable "admin_cidr" {
  description = "Where administrators connect from. The default is the whole internet."
  type        = string
  # PCS-AWS-001 (open ingress, critical): the bastion's SSH rule uses this
  # default; the finding points here, where the value is written.
  default = "0.0.0.0/0"
}

variable "team_description" {
  description = "Left without a value: descriptions from it are unknown and not reported."
  type        = string
}

# PCS-AWS-002 (default VPC): an aws_default_vpc brings the account's default
# VPC under management instead of a purpose-built one.
# PCS-AWS-011 (VPC flow logs): no aws_flow_log records its traffic.
resource "aws_default_vpc" "default" {
  tags = { Name = "default" }
}

# PCS-AWS-002 (default VPC): no vpc_id, so the group lands in the default VPC.
# PCS-AWS-003 (missing description): no description on the group.
# PCS-AWS-014 (unused security group, opt-in): nothing attaches it.
resource "aws_security_group" "bastion" {
  name = "bastion"

  ingress {
    description = "SSH from the admin network"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    # SSH from var.admin_cidr: 0.0.0.0/0 by default, reported at the default
    # above with this line as a related location.
    cidr_blocks = ["10.0.0.0/8", var.admin_cidr]
  }

  # PCS-AWS-003 (missing description): this egress block has none.
  # PCS-AWS-004 (unrestricted egress): every protocol to 0.0.0.0/0.
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# PCS-AWS-011 (VPC flow logs): no aws_flow_log records its traffic.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "Public web tier"
  vpc_id      = aws_vpc.main.id
}

resource "aws_security_group_rule" "web_https" {
  type              = "ingress"
  description       = "HTTPS from anywhere"
  security_group_id = aws_security_group.web.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  # PCS-AWS-001 (open ingress, high): HTTPS from ::/0; no sensitive port.
  ipv6_cidr_blocks = ["::/0"]
}

# PCS-AWS-003 (missing description): the rule has an empty description.
resource "aws_vpc_security_group_ingress_rule" "web_db" {
  security_group_id = aws_security_group.web.id
  description       = ""
  ip_protocol       = "tcp"
  from_port         = 3306
  to_port           = 3306
  # PCS-AWS-001 (open ingress, critical): MySQL from the internet.
  cidr_ipv4 = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "web_all" {
  security_group_id = aws_security_group.web.id
  description       = var.team_description
  ip_protocol       = "-1"
  # PCS-AWS-001 (open ingress, critical): every protocol and port.
  cidr_ipv4 = "0.0.0.0/0"
}

# PCS-AWS-002 (default VPC): the default security group keeps rules.
resource "aws_default_security_group" "default" {
  vpc_id = aws_default_vpc.default.id

  ingress {
    description = "Everything from inside the group"
    protocol    = "-1"
    self        = true
    from_port   = 0
    to_port     = 0
  }
}

data "aws_vpc" "default" {
  default = true
}

# PCS-AWS-002 (default VPC): placed in the default VPC through data.aws_vpc.
# PCS-AWS-014 (unused security group, opt-in): nothing attaches it.
resource "aws_security_group" "legacy" {
  name        = "legacy"
  description = "Legacy services"
  vpc_id      = data.aws_vpc.default.id
}

# PCS-AWS-002 (default VPC): an instance that names no subnet.
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

# Exposure through network ACLs, classic groups and the graph: which data
# stores and instances the internet can actually reach.

# This VPC has a flow log, so the findings below are about exposure only.
resource "aws_vpc" "edge" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_flow_log" "edge" {
  vpc_id          = aws_vpc.edge.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::example-flow-logs"
}

resource "aws_network_acl" "edge" {
  vpc_id = aws_vpc.edge.id

  ingress {
    rule_no    = 90
    action     = "deny"
    protocol   = "tcp"
    from_port  = 3389
    to_port    = 3389
    cidr_block = "0.0.0.0/0"
  }

  ingress {
    rule_no   = 100
    action    = "allow"
    protocol  = "tcp"
    from_port = 1
    to_port   = 65535
    # PCS-AWS-001 (open ingress, high for an ACL): every TCP port but RDP, which
    # rule 90 denies first; SSH is still admitted.
    cidr_block = "0.0.0.0/0"
  }

  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    # PCS-AWS-004 (unrestricted egress): everything to the internet.
    cidr_block = "0.0.0.0/0"
  }
}

resource "aws_subnet" "edge_public" {
  vpc_id     = aws_vpc.edge.id
  cidr_block = "10.1.0.0/24"
}

resource "aws_security_group" "admin" {
  name        = "admin"
  description = "Administration access"
  vpc_id      = aws_vpc.edge.id

  ingress {
    description = "SSH for administrators"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    # PCS-AWS-001 (open ingress, critical): SSH from the internet.
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "jump" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.edge_public.id
  vpc_security_group_ids = [aws_security_group.admin.id]
  # PCS-AWS-016 (instance admin port exposed, critical): a public address
  # and SSH open to the internet through aws_security_group.admin.
  associate_public_ip_address = true
}

resource "aws_security_group" "reports_db" {
  name        = "reports-db"
  description = "Reporting database"
  vpc_id      = aws_vpc.edge.id

  ingress {
    description = "PostgreSQL for analysts"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    # PCS-AWS-001 (open ingress, critical): PostgreSQL from the internet.
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_subnet_group" "edge" {
  name       = "edge"
  subnet_ids = [aws_subnet.edge_public.id]
}

resource "aws_db_instance" "reports" {
  identifier             = "reports"
  engine                 = "postgres"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  db_subnet_group_name   = aws_db_subnet_group.edge.name
  vpc_security_group_ids = [aws_security_group.reports_db.id]
  # PCS-AWS-015 (data store exposed, critical): a public address and
  # PostgreSQL open to the internet through aws_security_group.reports_db.
  publicly_accessible = true
}

# An EC2-Classic era DB security group.
# PCS-AWS-003 (missing description): none, so Terraform writes its placeholder.
resource "aws_db_security_group" "legacy" {
  name = "legacy"

  ingress {
    # PCS-AWS-001 (open ingress, critical): the database port from anywhere.
    cidr = "0.0.0.0/0"
  }
}

# PCS-AWS-015 (data store exposed, high): no vpc_options, so the domain has
# a public endpoint that only its access policy guards.
resource "aws_opensearch_domain" "logs" {
  domain_name    = "logs"
  engine_version = "OpenSearch_2.11"
}

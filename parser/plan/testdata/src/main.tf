variable "db_password" {
  type      = string
  sensitive = true
}

data "aws_vpc" "main" {
  default = true
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = data.aws_vpc.main.id

  ingress {
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [data.aws_vpc.main.cidr_block]
  }
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
  security_group_id = aws_security_group.web.id
}

resource "aws_instance" "app" {
  count                  = 2
  ami                    = "ami-123"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.web.id]
  tags = {
    Name = "app-${count.index}"
  }
}

resource "aws_s3_bucket" "logs" {
  for_each = toset(["a"])
  bucket   = "logs-${each.key}"
  tags = {
    Instances = join(",", aws_instance.app[*].id)
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.logs["a"].arn}/*"]
  }
}

resource "aws_db_instance" "db" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "admin"
  password          = var.db_password
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "app"
  retention_in_days = 30
  tags = {
    Owner = "Zoë"
  }
}

module "net" {
  source = "./modules/net"
  vpc_id = data.aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "from_net" {
  security_group_id            = aws_security_group.web.id
  referenced_security_group_id = module.net.sg_id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

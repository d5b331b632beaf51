variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "security_group_rules" {
  type    = any
  default = []
}

module "security_group" {
  source = "../security-group"

  name          = "${var.name}-sg"
  vpc_id        = var.vpc_id
  ingress_rules = var.security_group_rules
}

resource "aws_instance" "this" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = "subnet-0123456789abcdef0"
  vpc_security_group_ids = [module.security_group.id]
}

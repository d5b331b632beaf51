variable "security_group_rules" {
  type = any
}

module "app" {
  source = "../modules/instance"

  name                 = "app"
  vpc_id               = "vpc-0123456789abcdef0"
  security_group_rules = var.security_group_rules
}

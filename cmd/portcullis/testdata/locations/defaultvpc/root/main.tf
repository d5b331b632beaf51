module "vpc" {
  source = "../modules/vpc"

  cidr = "10.0.0.0/16"

  manage_default_vpc = true
  default_vpc_name   = "main-default"
}

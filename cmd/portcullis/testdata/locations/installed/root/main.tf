module "firewall" {
  source  = "acme/firewall/aws"
  version = "1.2.0"

  vpc_id = "vpc-0123456789abcdef0"
}

module "firewall_passed" {
  source  = "acme/firewall/aws"
  version = "1.2.0"

  vpc_id        = "vpc-0123456789abcdef0"
  allowed_cidrs = ["0.0.0.0/0", "10.0.0.0/8"]
}

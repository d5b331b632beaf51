module "net" {
  source = "../modules/net"

  create = true
  vpc_id = "vpc-0123456789abcdef0"

  public_subnets          = ["10.0.1.0/24"]
  map_public_ip_on_launch = true

  extra_subnets = {
    dmz = {
      cidr   = "10.0.9.0/24"
      public = true
    }
  }
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name                    = "main"
  cidr                    = "10.0.0.0/16"
  azs                     = ["eu-west-1a", "eu-west-1b"]
  public_subnets          = ["10.0.101.0/24", "10.0.102.0/24"]
  map_public_ip_on_launch = true

  default_security_group_ingress = [
    {
      description = "Everything from the office"
      cidr_blocks = "198.51.100.0/24,0.0.0.0/0"
    },
  ]

  public_dedicated_network_acl = true
  public_inbound_acl_rules = [
    {
      rule_number = 100
      rule_action = "allow"
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_block  = "0.0.0.0/0"
    },
  ]

  enable_flow_log = true
}

module "legacy" {
  source  = "git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git?ref=v3.19.0"
  name    = "legacy"
  public_subnets = ["10.1.0.0/24"]
}

module "sg" {
  source = "terraform-aws-modules/security-group/aws"
  name   = "app"
  vpc_id = module.vpc.vpc_id
}

resource "aws_instance" "app" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  subnet_id     = module.vpc.public_subnets[0]
}

variable "office" {
  type    = list(string)
  default = ["198.51.100.0/24"]
}

resource "aws_security_group" "lb" {
  name        = "lb"
  description = "Load balancer"
  vpc_id      = "vpc-123"
}

# portcullis:ignore PCS-AWS-003 descriptions come from the module's rule names
module "web" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.0"

  name        = "web"
  description = "Web servers"
  vpc_id      = "vpc-123"

  ingress_cidr_blocks = ["0.0.0.0/0", "10.0.0.0/8"]
  ingress_rules       = ["https-443-tcp", "ssh-tcp"]
  ingress_with_cidr_blocks = [
    {
      from_port   = 8080
      to_port     = 8090
      protocol    = "tcp"
      description = "Service ports"
      cidr_blocks = "10.1.0.0/16,0.0.0.0/0"
    },
    {
      rule = "postgresql-tcp"
    },
  ]
  ingress_with_source_security_group_id = [
    {
      rule                     = "http-80-tcp"
      source_security_group_id = aws_security_group.lb.id
    },
  ]
  egress_cidr_blocks = var.office
  egress_rules       = ["all-all"]
}

resource "aws_instance" "web" {
  ami                    = "ami-123"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [module.web.security_group_id]
}

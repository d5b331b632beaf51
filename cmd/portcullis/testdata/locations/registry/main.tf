variable "ingress" {
  description = "Ingress rules of the web security group."
  type = list(object({
    from_port   = number
    to_port     = number
    protocol    = string
    description = string
    cidr_blocks = string
  }))
}

module "web_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.0"

  name        = "web"
  description = "Web servers"
  vpc_id      = "vpc-0123456789abcdef0"

  ingress_with_cidr_blocks = var.ingress
  ingress_cidr_blocks      = ["10.0.0.0/8"]
  ingress_rules            = ["ssh-tcp"]
}

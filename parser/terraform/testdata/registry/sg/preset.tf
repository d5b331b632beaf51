module "ssh" {
  source = "registry.terraform.io/terraform-aws-modules/security-group/aws//modules/ssh"

  name                = "bastion"
  vpc_id              = "vpc-123"
  use_name_prefix     = false
  ingress_cidr_blocks = ["203.0.113.0/24"]
  ingress_rules       = ["ssh-tcp", "https-443-tcp"]
}

# A root module that configures a local module. The module itself is fine;
# what makes it insecure is the argument passed here, so that is where
# Portcullis reports: the line a reviewer has to change.

module "bastion" {
  source = "./bastion"

  name   = "bastion"
  vpc_id = aws_vpc.main.id
  # PCS-AWS-001 (open ingress, critical): SSH from the whole internet. The
  # finding points here, with the rule inside the module as a related location.
  admin_cidrs = ["0.0.0.0/0"]
}

# A disabled instance of the same module: count = 0 creates nothing, so it
# reports nothing.
module "disabled" {
  source = "./bastion"
  count  = 0

  name        = "disabled"
  vpc_id      = aws_vpc.main.id
  admin_cidrs = ["0.0.0.0/0"]
}

# PCS-AWS-011 (VPC flow logs): no aws_flow_log records its traffic.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

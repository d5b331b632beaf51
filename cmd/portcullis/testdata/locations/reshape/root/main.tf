module "complete_sg" {
  source = "../modules/sg"

  vpc_id = "vpc-0123456789abcdef0"

  ingress_cidr_blocks = ["10.10.0.0/16"]
  ingress_with_cidr_blocks = [
    {
      from_port   = 8080
      to_port     = 8090
      protocol    = "tcp"
      description = "Service ports"
      cidr_blocks = "10.10.0.0/16"
    },
    {
      from_port   = 3306
      to_port     = 3306
      protocol    = "tcp"
      description = "MySQL"
      cidr_blocks = "0.0.0.0/0,10.0.0.0/8"
    },
    {
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      description = "SSH"
    },
  ]
}

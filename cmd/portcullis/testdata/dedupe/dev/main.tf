module "sg" {
  source = "../modules/sg"
  port   = 443
}

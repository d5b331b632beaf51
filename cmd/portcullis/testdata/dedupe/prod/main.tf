module "sg" {
  source = "../modules/sg"
  port   = 22
}

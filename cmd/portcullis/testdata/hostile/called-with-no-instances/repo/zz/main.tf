module "h" {
  source   = "../net"
  for_each = {}
}

module "c" {
  source = "../net"
  count  = 0
}

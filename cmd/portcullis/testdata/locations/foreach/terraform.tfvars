rules = {
  web = {
    port = 443
    cidr = "10.0.0.0/8"
  }
  "db-admin" = {
    port = 5432
    cidr = "0.0.0.0/0"
  }
}

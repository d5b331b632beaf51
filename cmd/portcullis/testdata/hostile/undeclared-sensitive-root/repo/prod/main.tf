variable "db_password" {
  sensitive = true
}

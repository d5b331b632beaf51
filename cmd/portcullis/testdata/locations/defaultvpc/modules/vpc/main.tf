variable "cidr" {
  type = string
}

variable "manage_default_vpc" {
  type    = bool
  default = false
}

variable "default_vpc_name" {
  type    = string
  default = "default"
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_flow_log" "this" {
  vpc_id          = aws_vpc.this.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::flow-logs"
}

resource "aws_default_vpc" "this" {
  count = var.manage_default_vpc ? 1 : 0

  tags = {
    Name = var.default_vpc_name
  }
}

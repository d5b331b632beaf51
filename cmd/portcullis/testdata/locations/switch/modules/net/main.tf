variable "create" {
  type    = bool
  default = false
}

variable "vpc_id" {
  type = string
}

variable "public_subnets" {
  type    = list(string)
  default = []
}

variable "map_public_ip_on_launch" {
  type    = bool
  default = false
}

resource "aws_subnet" "public" {
  count = var.create ? length(var.public_subnets) : 0

  vpc_id                  = var.vpc_id
  cidr_block              = var.public_subnets[count.index]
  map_public_ip_on_launch = var.map_public_ip_on_launch
}

variable "extra_subnets" {
  type = map(object({
    cidr   = string
    public = bool
  }))
  default = {}
}

resource "aws_subnet" "extra" {
  for_each = var.create ? var.extra_subnets : {}

  vpc_id                  = var.vpc_id
  cidr_block              = each.value.cidr
  map_public_ip_on_launch = each.value.public
}

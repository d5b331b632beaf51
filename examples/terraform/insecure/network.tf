# Network services placed and configured carelessly: public addresses by
# default, no flow logs, plain HTTP, old TLS, services in the default VPC and a
# forgotten security group. Each finding is named above the line it points at.

# PCS-AWS-011 (VPC flow logs): no aws_flow_log references this VPC.
resource "aws_vpc" "shop" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "shop_public_a" {
  vpc_id            = aws_vpc.shop.id
  cidr_block        = "10.2.0.0/24"
  availability_zone = "eu-west-1a"
  # PCS-AWS-010 (subnet public IP): every instance here gets a public address.
  map_public_ip_on_launch = true
}

resource "aws_subnet" "shop_public_b" {
  vpc_id            = aws_vpc.shop.id
  cidr_block        = "10.2.1.0/24"
  availability_zone = "eu-west-1b"
}

# PCS-AWS-002 (default VPC): adopts a default subnet of the default VPC.
# PCS-AWS-010 (subnet public IP): a default subnet maps public addresses
# unless map_public_ip_on_launch = false.
resource "aws_default_subnet" "shop_a" {
  availability_zone = "eu-west-1a"
}

resource "aws_security_group" "shop_lb" {
  name        = "shop-lb"
  description = "Shop load balancer"
  vpc_id      = aws_vpc.shop.id
}

resource "aws_lb" "shop" {
  name               = "shop"
  load_balancer_type = "application"
  internal           = false
  subnets            = [aws_subnet.shop_public_a.id, aws_subnet.shop_public_b.id]
  security_groups    = [aws_security_group.shop_lb.id]
}

resource "aws_lb_target_group" "shop" {
  name     = "shop"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.shop.id
}

resource "aws_lb_listener" "shop_http" {
  load_balancer_arn = aws_lb.shop.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    # PCS-AWS-012 (HTTP without redirect): serves the shop over plain HTTP.
    type             = "forward"
    target_group_arn = aws_lb_target_group.shop.arn
  }
}

resource "aws_lb_listener" "shop_https" {
  load_balancer_arn = aws_lb.shop.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
  # PCS-AWS-013 (outdated TLS policy): accepts TLS 1.0 and 1.1.
  ssl_policy = "ELBSecurityPolicy-2016-08"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.shop.arn
  }
}

resource "aws_elb" "shop_legacy" {
  name            = "shop-legacy"
  subnets         = [aws_subnet.shop_public_a.id, aws_subnet.shop_public_b.id]
  security_groups = [aws_security_group.shop_lb.id]

  listener {
    instance_port     = 8080
    instance_protocol = "http"
    lb_port           = 80
    # PCS-AWS-012 (HTTP without redirect): a classic load balancer cannot
    # redirect, so this listener serves plain HTTP.
    lb_protocol = "http"
  }

  # PCS-AWS-013 (outdated TLS policy): no SSL negotiation policy is attached
  # to this listener, so AWS applies ELBSecurityPolicy-2016-08.
  listener {
    instance_port      = 8080
    instance_protocol  = "http"
    lb_port            = 443
    lb_protocol        = "https"
    ssl_certificate_id = "arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
  }
}

# PCS-AWS-014 (unused security group, opt-in): nothing references this group.
resource "aws_security_group" "shop_old_workers" {
  name        = "shop-old-workers"
  description = "Workers of the previous shop release"
  vpc_id      = aws_vpc.shop.id
}

resource "aws_launch_template" "shop_worker" {
  name_prefix   = "shop-worker-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.small"
}

# PCS-AWS-002 (default VPC): only availability zones, so the workers launch
# in the default subnets of the default VPC.
resource "aws_autoscaling_group" "shop_workers" {
  name               = "shop-workers"
  availability_zones = ["eu-west-1a", "eu-west-1b"]
  min_size           = 1
  max_size           = 3

  launch_template {
    id      = aws_launch_template.shop_worker.id
    version = "$Latest"
  }
}

# PCS-AWS-002 (default VPC): no db_subnet_group_name, so the cluster lands in
# the default DB subnet group.
resource "aws_rds_cluster" "shop" {
  cluster_identifier          = "shop"
  engine                      = "aurora-postgresql"
  master_username             = "shop"
  manage_master_user_password = true
  storage_encrypted           = true
}

# PCS-AWS-002 (default VPC): no subnet_group_name, so the cache lands in the
# default cache subnet group.
resource "aws_elasticache_replication_group" "shop_sessions" {
  replication_group_id = "shop-sessions"
  description          = "Shop sessions"
  engine               = "redis"
  node_type            = "cache.t4g.micro"
  num_cache_clusters   = 2
}

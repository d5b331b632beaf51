# Network services done right: the VPC's traffic is recorded, subnets give no
# public addresses by default, the load balancer redirects HTTP to HTTPS and
# negotiates TLS 1.2 or later, and the workers run in the VPC's own subnets.

# Flow logs for the VPC of main.tf, delivered to the central log archive
# bucket (managed in another account).
resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::example-log-archive-flow-logs"
}

# Subnets for the load balancer: the load balancer has its own public
# addresses, the subnets assign none to instances.
resource "aws_subnet" "lb_a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.100.0/24"
  availability_zone       = "eu-west-1a"
  map_public_ip_on_launch = false
}

resource "aws_subnet" "lb_b" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.101.0/24"
  availability_zone       = "eu-west-1b"
  map_public_ip_on_launch = false
}

resource "aws_lb" "web" {
  name                       = "web"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = [aws_subnet.lb_a.id, aws_subnet.lb_b.id]
  security_groups            = [aws_security_group.lb.id]
  drop_invalid_header_fields = true
}

resource "aws_lb_target_group" "app" {
  name     = "app"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = aws_vpc.main.id
}

# Plain HTTP only answers with a permanent redirect to HTTPS.
resource "aws_lb_listener" "web_http" {
  load_balancer_arn = aws_lb.web.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "web_https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
  certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

resource "aws_launch_template" "worker" {
  name_prefix            = "worker-"
  image_id               = "ami-0123456789abcdef0"
  instance_type          = "t3.small"
  vpc_security_group_ids = [aws_security_group.app.id]

  metadata_options {
    http_tokens = "required"
  }
}

# The workers run in the application subnet, not in the default VPC.
resource "aws_autoscaling_group" "workers" {
  name                = "workers"
  vpc_zone_identifier = [aws_subnet.app.id]
  target_group_arns   = [aws_lb_target_group.app.arn]
  min_size            = 1
  max_size            = 3

  launch_template {
    id      = aws_launch_template.worker.id
    version = "$Latest"
  }
}

variable "protocol" {
  type = string
}

variable "versioned" {
  type = bool
}

# Nothing but the name is written: what the provider computes is not set.
resource "aws_s3_bucket" "plain" {
  bucket = "plain"
}

# A nested block is written: it stays unknown.
resource "aws_s3_bucket" "legacy" {
  bucket = "legacy"
  # Written as null: not set.
  object_lock_enabled = null
  versioning {
    enabled = var.versioned
  }
}

# A dynamic block is not in the plan's configuration: the block type it
# writes stays unknown.
resource "aws_s3_bucket" "dyn" {
  bucket = "dyn"
  dynamic "versioning" {
    for_each = var.versioned ? [1] : []
    content {
      enabled = true
    }
  }
}

# In the source, not in the plan's configuration (a stale plan).
resource "aws_s3_bucket" "orphan" {
  bucket = "orphan"
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/a/1"
  port              = 443
  protocol          = var.protocol
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/t/1"
  }
}

data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["s3:GetObject"]
    resources = [aws_s3_bucket.plain.arn]
  }
}

module "logs" {
  source = "./modules/logs"
  count  = 1
}

# An account trail as the CloudTrail and KMS rules ask for it: every region,
# log file validation, and logs encrypted with a rotated customer-managed key.
# The log bucket lives in a separate log archive account, so it is named here
# rather than managed.

locals {
  trail_name        = "organization-audit"
  cloudtrail_bucket = "example-log-archive-cloudtrail"
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

resource "aws_kms_key" "cloudtrail_logs" {
  description             = "Encrypts the CloudTrail log files"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudTrailEncryptsThisTrail"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "kms:GenerateDataKey*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:cloudtrail:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:trail/${local.trail_name}"
          }
        }
      },
    ]
  })
}

resource "aws_cloudtrail" "organization_audit" {
  name                          = local.trail_name
  s3_bucket_name                = local.cloudtrail_bucket
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.cloudtrail_logs.arn
}

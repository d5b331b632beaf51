# S3 buckets that trip every S3 rule (PCS-AWS-020..026, the opt-in Object
# Lock and event notification rules included). Each finding is named in the
# comment above the line it points at.

# Nothing configured at all.
# PCS-AWS-020 (no default encryption), PCS-AWS-021 (no TLS-only policy),
# PCS-AWS-022 (no access logging), PCS-AWS-023 (no public access block),
# PCS-AWS-024 (no versioning), PCS-AWS-025 (no Object Lock),
# PCS-AWS-026 (no event notifications)
resource "aws_s3_bucket" "uploads" {
  bucket = "example-uploads"
}

# Configured, with the wrong values, through the provider v4+ resources.
# PCS-AWS-022 (no access logging), PCS-AWS-026 (no event notifications)
resource "aws_s3_bucket" "reports" {
  bucket = "example-reports"
  # PCS-AWS-025: Object Lock switched off
  object_lock_enabled = false
}

resource "aws_s3_bucket_server_side_encryption_configuration" "reports" {
  bucket = aws_s3_bucket.reports.id

  rule {
    apply_server_side_encryption_by_default {
      # PCS-AWS-020: S3-managed keys
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  # PCS-AWS-021: grants read access but does not deny plain HTTP
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AnalyticsReads"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:role/analytics" }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::example-reports/*"
    }]
  })
}

resource "aws_s3_bucket_public_access_block" "reports" {
  bucket = aws_s3_bucket.reports.id

  block_public_acls = true
  # PCS-AWS-023: a public bucket policy would be accepted (and
  # restrict_public_buckets is missing)
  block_public_policy = false
  ignore_public_acls  = true
}

resource "aws_s3_bucket_versioning" "reports" {
  bucket = aws_s3_bucket.reports.id

  versioning_configuration {
    # PCS-AWS-024: versioning suspended
    status = "Suspended"
  }
}

# The legacy inline blocks of aws_s3_bucket (provider v3 style).
# PCS-AWS-021 (no TLS-only policy), PCS-AWS-022 (no access logging),
# PCS-AWS-023 (no public access block), PCS-AWS-025 (no Object Lock),
# PCS-AWS-026 (no event notifications)
resource "aws_s3_bucket" "exports" {
  bucket = "example-exports"

  versioning {
    # PCS-AWS-024: versioning disabled
    enabled = false
  }

  server_side_encryption_configuration {
    rule {
      # PCS-AWS-020: aws:kms without a key uses the AWS-managed key aws/s3
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}

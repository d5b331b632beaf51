# Audit logging and key settings that Portcullis reports. Each finding is
# named in the comment above the line it points at.

# PCS-AWS-037 (CloudTrail KMS): no kms_key_id, so SSE-S3 only.
resource "aws_cloudtrail" "regional" {
  name           = "regional"
  s3_bucket_name = "example-cloudtrail-logs"
  # PCS-AWS-035 (CloudTrail multi-region): one region only.
  is_multi_region_trail = false
  # PCS-AWS-036 (CloudTrail log validation): tampering goes unnoticed.
  enable_log_file_validation = false
}

# PCS-AWS-035 (CloudTrail multi-region): no is_multi_region_trail.
# PCS-AWS-036 (CloudTrail log validation): no enable_log_file_validation.
resource "aws_cloudtrail" "data_events" {
  name           = "data-events"
  s3_bucket_name = "example-cloudtrail-logs"
  # The key below is a reference, which the CloudTrail KMS rule counts as set.
  kms_key_id = aws_kms_key.trail_unrotated.arn
}

# PCS-AWS-038 (KMS key rotation): no enable_key_rotation.
resource "aws_kms_key" "trail_unrotated" {
  description = "CloudTrail logs, never rotated"
}

resource "aws_kms_key" "reports" {
  description = "Monthly reports"
  # PCS-AWS-038 (KMS key rotation): rotation turned off.
  enable_key_rotation = false
}

# An asymmetric signing key cannot be rotated automatically: not reported.
resource "aws_kms_key" "signing" {
  description              = "Release signing"
  customer_master_key_spec = "ECC_NIST_P256"
  key_usage                = "SIGN_VERIFY"
}

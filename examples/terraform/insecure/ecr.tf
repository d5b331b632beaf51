# Container registry settings that Portcullis reports. Each finding is named
# in the comment above the line it points at.

resource "aws_ecr_repository" "orders" {
  name = "orders"
  # PCS-AWS-031 (ECR immutable tags): a push can replace a released image.
  image_tag_mutability = "MUTABLE"

  image_scanning_configuration {
    # PCS-AWS-030 (ECR scan on push): images are not scanned when pushed.
    scan_on_push = false
  }

  encryption_configuration {
    # PCS-AWS-032 (ECR KMS encryption): AES256 with keys managed by Amazon.
    encryption_type = "AES256"
  }
}

# PCS-AWS-030 (ECR scan on push): no image_scanning_configuration.
# PCS-AWS-031 (ECR immutable tags): no image_tag_mutability (MUTABLE).
# PCS-AWS-032 (ECR KMS encryption): no encryption_configuration (AES256).
resource "aws_ecr_repository" "scratch" {
  name = "scratch"
}

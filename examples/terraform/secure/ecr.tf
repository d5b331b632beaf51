# A container repository as the ECR rules ask for it: tags immutable, images
# scanned on push and encrypted with a customer-managed KMS key.

resource "aws_kms_key" "ecr_images" {
  description             = "Encrypts the images of the orders repository"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_ecr_repository" "orders" {
  name                 = "orders"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr_images.arn
  }
}

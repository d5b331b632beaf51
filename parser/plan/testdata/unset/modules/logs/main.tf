resource "aws_s3_bucket" "b" {
  bucket_prefix = "logs-"
  tags = {
    Run = timestamp()
  }
}

# SSE-S3 (AES256) instead of SSE-KMS.
resource "aws_s3_bucket" "data" {
  bucket = "fixture-data"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

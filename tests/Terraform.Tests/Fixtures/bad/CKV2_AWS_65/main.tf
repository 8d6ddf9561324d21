# ACLs still in force.
resource "aws_s3_bucket" "data" {
  bucket = "fixture-data"
}

resource "aws_s3_bucket_ownership_controls" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    object_ownership = "ObjectWriter"
  }
}

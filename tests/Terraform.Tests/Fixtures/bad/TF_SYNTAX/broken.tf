# The value of bucket is missing: the parser must report this file and line.
resource "aws_s3_bucket" "broken" {
  bucket =
}

# No lifecycle configuration: incomplete uploads and old versions pile up forever.
resource "aws_s3_bucket" "data" {
  bucket = "fixture-data"
}

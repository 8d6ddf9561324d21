# A customer managed key that never rotates.
resource "aws_kms_key" "data" {
  description             = "fixture"
  deletion_window_in_days = 30
}

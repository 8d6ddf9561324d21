# Encrypted, but with the AWS managed key instead of a customer managed one.
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "orderid"

  attribute {
    name = "orderid"
    type = "S"
  }

  server_side_encryption {
    enabled = true
  }
}

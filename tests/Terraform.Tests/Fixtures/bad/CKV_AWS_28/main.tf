# No point-in-time recovery.
resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "orderid"

  attribute {
    name = "orderid"
    type = "S"
  }
}

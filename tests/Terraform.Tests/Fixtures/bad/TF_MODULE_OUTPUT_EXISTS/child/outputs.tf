output "arn" {
  value = "arn:aws:sqs:eu-west-1:123456789012:orders"
}

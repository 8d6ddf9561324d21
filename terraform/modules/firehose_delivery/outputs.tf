output "name" {
  description = "Delivery stream name."
  value       = aws_kinesis_firehose_delivery_stream.this.name
}

output "arn" {
  description = "Delivery stream ARN."
  value       = aws_kinesis_firehose_delivery_stream.this.arn
}

output "role_arn" {
  description = "Delivery role ARN."
  value       = aws_iam_role.this.arn
}

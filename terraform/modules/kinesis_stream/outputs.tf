output "name" {
  description = "Stream name."
  value       = aws_kinesis_stream.this.name
}

output "arn" {
  description = "Stream ARN (event source mappings, IAM policies, Firehose source)."
  value       = aws_kinesis_stream.this.arn
}

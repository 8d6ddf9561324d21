output "name" {
  description = "Queue name."
  value       = aws_sqs_queue.this.name
}

output "arn" {
  description = "Queue ARN."
  value       = aws_sqs_queue.this.arn
}

output "url" {
  description = "Queue URL."
  value       = aws_sqs_queue.this.id
}

output "visibility_timeout_seconds" {
  description = "Visibility timeout, for callers that check it against a consumer's timeout."
  value       = aws_sqs_queue.this.visibility_timeout_seconds
}

output "dlq_name" {
  description = "Dead-letter queue name (null for a terminal queue)."
  value       = local.create_dlq ? aws_sqs_queue.dlq[0].name : null
}

output "dlq_arn" {
  description = "Dead-letter queue ARN (null for a terminal queue)."
  value       = local.create_dlq ? aws_sqs_queue.dlq[0].arn : null
}

output "dlq_url" {
  description = "Dead-letter queue URL (null for a terminal queue)."
  value       = local.create_dlq ? aws_sqs_queue.dlq[0].id : null
}

output "function_name" {
  description = "Function name."
  value       = aws_lambda_function.this.function_name
}

output "arn" {
  description = "Unqualified function ARN."
  value       = aws_lambda_function.this.arn
}

output "timeout" {
  description = "Function timeout in seconds."
  value       = aws_lambda_function.this.timeout
}

output "role_name" {
  description = "Execution role name."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "Execution role ARN."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "The function's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "event_source_mapping_uuids" {
  description = "Event source mapping ids by source key."
  value = merge(
    { for k, m in aws_lambda_event_source_mapping.stream : k => m.uuid },
    { for k, m in aws_lambda_event_source_mapping.sqs : k => m.uuid },
  )
}

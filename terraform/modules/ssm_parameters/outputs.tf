output "path" {
  description = "Parameter path (no trailing slash)."
  value       = var.path
}

output "path_arns" {
  description = "ARNs to grant ssm:GetParametersByPath on: the path itself and everything below it."
  value = [
    "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter${var.path}",
    "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter${var.path}/*",
  ]
}

output "names" {
  description = "Full parameter names by key."
  value       = { for k, p in aws_ssm_parameter.this : k => p.name }
}

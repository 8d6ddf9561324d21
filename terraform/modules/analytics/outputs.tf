output "database_name" {
  description = "Glue database name."
  value       = aws_glue_catalog_database.this.name
}

output "crawler_name" {
  description = "Glue crawler name."
  value       = aws_glue_crawler.this.name
}

output "crawler_role_arn" {
  description = "Crawler role ARN."
  value       = aws_iam_role.crawler.arn
}

output "workgroup_name" {
  description = "Athena workgroup name."
  value       = aws_athena_workgroup.this.name
}

output "named_query_ids" {
  description = "Saved query ids by name."
  value       = { for k, q in aws_athena_named_query.this : k => q.id }
}

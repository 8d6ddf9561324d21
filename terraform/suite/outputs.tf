output "rejects_bucket" {
  description = "Shared rejects bucket."
  value       = module.shared.rejects_bucket_name
}

output "functions" {
  description = "Every function name by topology key."
  value       = local.functions
}

output "catalog_buckets" {
  description = "Catalog source (drop partner files here) and output buckets."
  value       = module.catalog.bucket_names
}

output "orders_athena" {
  description = "Athena workgroup and Glue database for the orders analytics."
  value       = { workgroup = module.orders.athena_workgroup, database = module.orders.glue_database }
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies."
  value       = module.monitoring.topic_arn
}

output "dashboard" {
  description = "CloudWatch dashboard of the suite."
  value       = module.monitoring.dashboard_name
}

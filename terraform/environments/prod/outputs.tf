output "rejects_bucket" {
  description = "Shared rejects bucket."
  value       = module.suite.rejects_bucket
}

output "functions" {
  description = "Every function name by topology key."
  value       = module.suite.functions
}

output "catalog_buckets" {
  description = "Catalog source (drop partner files here) and output buckets."
  value       = module.suite.catalog_buckets
}

output "orders_athena" {
  description = "Athena workgroup and Glue database for the orders analytics."
  value       = module.suite.orders_athena
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies."
  value       = module.suite.alarm_topic_arn
}

output "dashboard" {
  description = "CloudWatch dashboard of the suite."
  value       = module.suite.dashboard
}

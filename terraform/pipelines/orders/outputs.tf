output "functions" {
  description = "Function names by topology key."
  value = {
    (local.publisher_key) = module.publisher.function_name
    (local.transform_key) = module.transform.function_name
  }
}

output "stream_consumer_functions" {
  description = "Functions fed by a stream, by topology key."
  value       = { (local.publisher_key) = module.publisher.function_name }
}

output "kinesis_streams" {
  description = "Kinesis stream names by topology key."
  value       = { for k, m in module.streams : "orders-${k}" => m.name }
}

output "queues" {
  description = "Work queue names (none in this pipeline)."
  value       = {}
}

output "dead_letter_queues" {
  description = "On-failure and dead-letter queue names."
  value       = { (local.publisher_key) = module.failure_queue.name }
}

output "firehose_streams" {
  description = "Firehose delivery stream names by topology key."
  value       = { orders = module.delivery.name }
}

output "table_names" {
  description = "Table names by topology key."
  value       = { for k, m in module.tables : k => m.name }
}

output "bucket_names" {
  description = "Bucket names by topology key."
  value       = { for k, m in module.buckets : k => m.name }
}

output "athena_workgroup" {
  description = "Athena workgroup for the orders queries."
  value       = module.analytics.workgroup_name
}

output "glue_database" {
  description = "Glue database the crawler fills."
  value       = module.analytics.database_name
}

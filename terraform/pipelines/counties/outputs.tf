output "functions" {
  description = "Function names by topology key."
  value       = { (local.fn_key) = module.function.function_name }
}

output "stream_consumer_functions" {
  description = "Functions fed by a stream, by topology key."
  value       = { (local.fn_key) = module.function.function_name }
}

output "kinesis_streams" {
  description = "Kinesis stream names by topology key."
  value       = { for k, m in module.streams : "counties-${k}" => m.name }
}

output "queues" {
  description = "Work queue names (none in this pipeline)."
  value       = {}
}

output "dead_letter_queues" {
  description = "On-failure and dead-letter queue names."
  value       = { (local.fn_key) = module.failure_queue.name }
}

output "table_names" {
  description = "Table names by topology key."
  value       = { for k, m in module.tables : k => m.name }
}

output "functions" {
  description = "Function names by topology key."
  value       = { (local.fn_key) = module.function.function_name }
}

output "stream_consumer_functions" {
  description = "Functions fed by a stream (none: this pipeline is queue-driven)."
  value       = {}
}

output "kinesis_streams" {
  description = "Kinesis stream names (none in this pipeline)."
  value       = {}
}

output "queues" {
  description = "Work queue names by topology key."
  value       = { for k, m in module.queues : "catalog-${k}" => m.name }
}

output "dead_letter_queues" {
  description = "Dead-letter queue names by topology key."
  value       = { for k, m in module.queues : "catalog-${k}" => m.dlq_name }
}

output "table_names" {
  description = "Table names by topology key."
  value       = { for k, m in module.tables : k => m.name }
}

output "bucket_names" {
  description = "Bucket names by topology key."
  value       = { for k, m in module.buckets : k => m.name }
}

output "replica_bucket_names" {
  description = "Disaster-recovery replica bucket names by topology key (empty when replication is off)."
  value       = { for k, m in module.replica_buckets : k => m.name }
}

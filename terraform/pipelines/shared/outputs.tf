output "rejects_bucket_name" {
  description = "Real name of the shared rejects bucket (the value of shared:rejects_bucket references)."
  value       = module.rejects_bucket.name
}

output "rejects_bucket_arn" {
  description = "ARN of the shared rejects bucket."
  value       = module.rejects_bucket.arn
}

output "rejects_kms_key_arn" {
  description = "Key of the shared rejects bucket."
  value       = module.key.arn
}

output "shared_values" {
  description = "Values for shared:<key> references: the topology's shared settings with rejects_bucket resolved to the real bucket name."
  value = merge(
    { for k, v in local.shared : k => tostring(v) },
    { rejects_bucket = module.rejects_bucket.name },
  )
}

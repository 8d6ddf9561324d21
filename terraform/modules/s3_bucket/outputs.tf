output "name" {
  description = "Bucket name."
  value       = aws_s3_bucket.this.bucket
}

output "arn" {
  description = "Bucket ARN. Available only once versioning is on, so a replication source can point at it safely."
  value       = aws_s3_bucket.this.arn
  depends_on  = [aws_s3_bucket_versioning.this]
}

output "kms_key_arn" {
  description = "The key objects are encrypted with (null means the AWS managed alias/aws/s3 key)."
  value       = var.kms_key_arn
}

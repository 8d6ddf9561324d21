# Encryption is always on: with no key given the AWS managed alias/aws/kinesis key is used.
resource "aws_kinesis_stream" "this" {
  name                = var.name
  shard_count         = var.stream_mode == "PROVISIONED" ? var.shard_count : null
  retention_period    = var.retention_hours
  encryption_type     = "KMS"
  kms_key_id          = coalesce(var.kms_key_arn, "alias/aws/kinesis")
  shard_level_metrics = var.shard_level_metrics
  tags                = var.tags

  stream_mode_details {
    stream_mode = var.stream_mode
  }
}

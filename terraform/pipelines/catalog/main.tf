# catalog: partners drop YYYY/MM/DD/<name>.jsonl files into the source bucket -> S3 notification (suffix from the
# topology) -> SQS catalog-ingest (DLQ after max_receive_count) -> catalog-consolidator (/tmp batching, <= 500 KB
# files) -> output bucket year=/month=/day=. Optional cross-region replication of both buckets.
# Names, sizes, batch settings and tunables come from topology/topology.json (pipelines.catalog).
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  topology = jsondecode(file(var.topology_path))
  pipeline = local.topology.pipelines.catalog
  shared   = local.topology.shared

  fn_key  = "catalog-consolidator"
  fn      = local.pipeline.functions[local.fn_key]
  fn_name = "${local.fn_key}-${var.environment}"

  account_id = data.aws_caller_identity.current.account_id
  arn_tail   = "${data.aws_region.current.name}:${local.account_id}"

  bucket_names = { for k, b in local.pipeline.buckets : k => "${var.name_prefix}-${b.name}-${var.environment}-${local.account_id}" }
}

module "key" {
  source = "../../modules/kms_key"

  alias                   = "pipelines-catalog-${var.environment}"
  description             = "Encrypts the ${var.environment} catalog pipeline: buckets, queues, table, logs."
  deletion_window_in_days = var.kms_deletion_window_days
  tags                    = var.tags

  service_principals = [
    {
      sid       = "CloudWatchLogsForThisPipeline"
      principal = "logs.${data.aws_region.current.name}.amazonaws.com"
      actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]
      conditions = [{
        test     = "ArnLike"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = ["arn:${data.aws_partition.current.partition}:logs:${local.arn_tail}:log-group:/aws/lambda/${local.fn_name}"]
      }]
    },
    {
      # S3 encrypts the notifications it sends to the SSE-KMS queue with its own identity (AWS's documented key
      # statement); which buckets may send is pinned by the queue policy's aws:SourceArn/aws:SourceAccount.
      sid       = "S3NotificationsToEncryptedQueue"
      principal = "s3.amazonaws.com"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    },
  ]
}

module "tables" {
  source   = "../../modules/dynamodb_table"
  for_each = local.pipeline.tables

  name                = "${each.value.name}-${var.environment}"
  hash_key            = each.value.hash_key
  hash_key_type       = each.value.hash_key_type
  range_key           = try(each.value.range_key, null)
  range_key_type      = try(each.value.range_key_type, "S")
  stream_view_type    = try(each.value.stream_view_type, null)
  ttl_attribute       = try(each.value.ttl_attribute, null)
  kms_key_arn         = module.key.arn
  deletion_protection = var.deletion_protection
  tags                = var.tags
}

module "buckets" {
  source   = "../../modules/s3_bucket"
  for_each = local.pipeline.buckets

  name          = local.bucket_names[each.key]
  kms_key_arn   = module.key.arn
  force_destroy = !var.deletion_protection
  tags          = var.tags

  # Bad lines land under rejected/ in the output bucket; they are kept 90 days for inspection.
  lifecycle_rules = each.key == "output" ? [{ id = "expire-rejected", prefix = "rejected/", expiration_days = 90 }] : []

  replication = var.replication_enabled ? {
    destination_bucket_arn  = module.replica_buckets[each.key].arn
    destination_kms_key_arn = module.replica_key[0].arn
    storage_class           = "STANDARD_IA"
  } : null
}

module "queues" {
  source   = "../../modules/sqs_queue"
  for_each = local.pipeline.queues

  name                       = "${each.value.name}-${var.environment}"
  dlq_name                   = "${each.value.dlq_name}-${var.environment}"
  max_receive_count          = each.value.max_receive_count
  visibility_timeout_seconds = each.value.visibility_timeout_s
  message_retention_seconds  = each.value.message_retention_s
  receive_wait_time_seconds  = each.value.receive_wait_time_s
  kms_key_arn                = module.key.arn
  tags                       = var.tags
}

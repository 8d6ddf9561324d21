# events: Kinesis event-ingestion-stream (on-demand) -> event-archiver -> S3 event-archive, partitioned by event
# type and date, duplicates under duplicated/, with a DynamoDB dedup table holding claims (TTL'd).
# Names, sizes, batch settings and tunables come from topology/topology.json (pipelines.events).
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  topology = jsondecode(file(var.topology_path))
  pipeline = local.topology.pipelines.events
  shared   = local.topology.shared

  fn_key  = "event-archiver"
  fn      = local.pipeline.functions[local.fn_key]
  fn_name = "${local.fn_key}-${var.environment}"

  arn_tail = "${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}"

  # Object prefixes the archiver writes (issue 3): first occurrences, later duplicates, and rejected records.
  rejected_prefix = trimprefix(local.fn.environment.REJECTED_PREFIX, "literal:")
  write_prefixes  = distinct(["events/", "duplicated/", local.rejected_prefix])
}

module "key" {
  source = "../../modules/kms_key"

  alias                   = "pipelines-events-${var.environment}"
  description             = "Encrypts the ${var.environment} events pipeline: stream, table, archive bucket, failure queue, logs."
  deletion_window_in_days = var.kms_deletion_window_days
  tags                    = var.tags

  service_principals = [{
    sid       = "CloudWatchLogsForThisPipeline"
    principal = "logs.${data.aws_region.current.name}.amazonaws.com"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]
    conditions = [{
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${local.arn_tail}:log-group:/aws/lambda/${local.fn_name}"]
    }]
  }]
}

module "streams" {
  source   = "../../modules/kinesis_stream"
  for_each = local.pipeline.streams

  name            = "${each.value.name}-${var.environment}"
  stream_mode     = each.value.mode
  shard_count     = each.value.shards
  retention_hours = each.value.retention_hours
  kms_key_arn     = module.key.arn
  tags            = var.tags
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

  name          = "${var.name_prefix}-${each.value.name}-${var.environment}-${data.aws_caller_identity.current.account_id}"
  kms_key_arn   = module.key.arn
  force_destroy = !var.deletion_protection
  tags          = var.tags

  # The archive is read rarely after a month; rejected records are kept 90 days for inspection.
  lifecycle_rules = [
    { id = "archive-to-infrequent-access", prefix = "events/", transition_ia_days = 30 },
    { id = "duplicates-to-infrequent-access", prefix = "duplicated/", transition_ia_days = 30 },
    { id = "expire-rejected", prefix = local.rejected_prefix, expiration_days = 90 },
  ]
}

module "failure_queue" {
  source = "../../modules/sqs_queue"

  name                 = "${local.fn.source.on_failure_queue}-${var.environment}"
  is_dead_letter_queue = true
  kms_key_arn          = module.key.arn
  tags                 = var.tags
}

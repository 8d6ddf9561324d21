# orders: DynamoDB OrdersRawTable stream -> orders-cdc-publisher -> Kinesis kinesis-for-sales-data -> Data Firehose
# (orders-firehose-transform, dynamic partitioning) -> S3 orders-analytics -> Glue crawler -> Athena.
# Names, sizes, batch settings, prefixes and tunables come from topology/topology.json (pipelines.orders).
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  topology = jsondecode(file(var.topology_path))
  pipeline = local.topology.pipelines.orders
  shared   = local.topology.shared

  fn_names = { for k in keys(local.pipeline.functions) : k => "${k}-${var.environment}" }
  arn_tail = "${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}"

  delivery = local.pipeline.firehose["orders"]
  # The crawler reads the fixed first folder of the Firehose prefix (orders/); Athena results and errors live beside it.
  data_prefix    = "${split("/", local.delivery.prefix)[0]}/"
  results_prefix = "athena-results/"
  error_root     = "${split("/", local.delivery.error_prefix)[0]}/"
}

module "key" {
  source = "../../modules/kms_key"

  alias                   = "pipelines-orders-${var.environment}"
  description             = "Encrypts the ${var.environment} orders pipeline: table, stream, analytics bucket, Athena results, failure queue, logs."
  deletion_window_in_days = var.kms_deletion_window_days
  tags                    = var.tags

  service_principals = [{
    sid       = "CloudWatchLogsForThisPipeline"
    principal = "logs.${data.aws_region.current.name}.amazonaws.com"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]
    conditions = [{
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [for n in values(local.fn_names) : "arn:${data.aws_partition.current.partition}:logs:${local.arn_tail}:log-group:/aws/lambda/${n}"]
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

  lifecycle_rules = [
    { id = "expire-athena-results", prefix = local.results_prefix, expiration_days = 30 },
    { id = "expire-delivery-errors", prefix = local.error_root, expiration_days = 90 },
  ]
}

module "failure_queue" {
  source = "../../modules/sqs_queue"

  name                 = "${local.pipeline.functions["orders-cdc-publisher"].source.on_failure_queue}-${var.environment}"
  is_dead_letter_queue = true
  kms_key_arn          = module.key.arn
  tags                 = var.tags
}

locals {
  references = merge(
    { for k, m in module.tables : "table:${k}" => m.name },
    { for k, m in module.streams : "stream:${k}" => m.name },
    { for k, m in module.buckets : "bucket:${k}" => m.name },
    { for k, v in var.shared_values : "shared:${k}" => v },
  )

  # Resolved environment per function: topology references, plus what every function gets.
  environment_variables = {
    for k, f in local.pipeline.functions : k => merge(
      { for name, v in f.environment : name => startswith(v, "literal:") ? trimprefix(v, "literal:") : local.references[v] },
      {
        SSM_PARAMETER_PREFIX = "${local.shared.ssm_prefix}/${var.environment}/${k}/"
        METRICS_NAMESPACE    = local.shared.metrics_namespace
        LOG_LEVEL            = var.log_level
      },
    )
  }
}

module "tunables" {
  source   = "../../modules/ssm_parameters"
  for_each = local.pipeline.functions

  path       = "${local.shared.ssm_prefix}/${var.environment}/${each.key}"
  parameters = each.value.tunables
  tags       = var.tags
}

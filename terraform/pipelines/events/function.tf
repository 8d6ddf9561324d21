module "tunables" {
  source = "../../modules/ssm_parameters"

  path       = "${local.shared.ssm_prefix}/${var.environment}/${local.fn_key}"
  parameters = local.fn.tunables
  tags       = var.tags
}

locals {
  references = merge(
    { for k, m in module.tables : "table:${k}" => m.name },
    { for k, m in module.streams : "stream:${k}" => m.name },
    { for k, m in module.buckets : "bucket:${k}" => m.name },
    { for k, v in var.shared_values : "shared:${k}" => v },
  )

  environment_variables = merge(
    { for k, v in local.fn.environment : k => startswith(v, "literal:") ? trimprefix(v, "literal:") : local.references[v] },
    {
      SSM_PARAMETER_PREFIX = "${module.tunables.path}/"
      METRICS_NAMESPACE    = local.shared.metrics_namespace
      LOG_LEVEL            = var.log_level
    },
  )

  source_stream = module.streams[local.fn.source.stream]
  archive       = module.buckets["archive"]
  dedup         = module.tables["dedup"]
}

module "function" {
  source = "../../modules/lambda_function"

  function_name                  = local.fn_name
  description                    = "Archives events from ${local.source_stream.name} to ${local.archive.name}, duplicates apart."
  artifact_path                  = "${var.artifacts_dir}/${local.fn_key}.zip"
  memory_size                    = local.fn.memory_mb
  timeout                        = local.fn.timeout_s
  ephemeral_storage_mb           = try(local.fn.ephemeral_storage_mb, 512)
  environment_variables          = local.environment_variables
  reserved_concurrent_executions = lookup(var.reserved_concurrency, local.fn_key, null)
  log_retention_days             = var.log_retention_days
  log_kms_key_arn                = module.key.arn
  tags                           = var.tags

  policy_statements = [
    {
      sid       = "ReadSourceStream"
      actions   = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"]
      resources = [local.source_stream.arn]
    },
    {
      # Claims are PartiQL INSERTs (put-if-absent), 25 per BatchExecuteStatement; the archiver reads the holder of
      # a uuid it lost, and earlier plans, with BatchGetItem, and records plans with BatchWriteItem.
      sid       = "ClaimEventIds"
      actions   = ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLInsert"]
      resources = [local.dedup.arn]
    },
    {
      # GetObject covers the HEAD a retry makes to see whether a planned object already exists.
      sid       = "WriteArchive"
      actions   = ["s3:GetObject", "s3:PutObject"]
      resources = [for p in local.write_prefixes : "${local.archive.arn}/${p}*"]
    },
    {
      # Without ListBucket, S3 answers a HEAD on a missing key with 403 instead of 404, and the archiver
      # would retry a record forever instead of re-planning it. No s3:prefix condition: a HEAD carries no prefix.
      sid       = "ListArchiveBucket"
      actions   = ["s3:ListBucket"]
      resources = [local.archive.arn]
    },
    {
      sid       = "SendToFailureQueue"
      actions   = ["sqs:SendMessage"]
      resources = [module.failure_queue.arn]
    },
    {
      sid       = "UsePipelineKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [module.key.arn]
    },
    {
      sid       = "ReadTunables"
      actions   = ["ssm:GetParametersByPath"]
      resources = module.tunables.path_arns
    },
  ]

  stream_sources = {
    (local.fn.source.stream) = {
      event_source_arn                   = local.source_stream.arn
      on_failure_destination_arn         = module.failure_queue.arn
      starting_position                  = local.fn.source.starting_position
      batch_size                         = local.fn.source.batch_size
      maximum_batching_window_in_seconds = local.fn.source.batching_window_s
      parallelization_factor             = local.fn.source.parallelization_factor
      bisect_batch_on_function_error     = local.fn.source.bisect_on_error
      maximum_retry_attempts             = local.fn.source.maximum_retry_attempts
      maximum_record_age_in_seconds      = local.fn.source.maximum_record_age_s
    }
  }
}

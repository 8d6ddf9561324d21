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

  rejected_prefix = trimprefix(local.fn.environment.REJECTED_PREFIX, "literal:")
  source_stream   = module.streams[local.fn.source.stream]
  table           = module.tables["reviews"]
}

module "function" {
  source = "../../modules/lambda_function"

  function_name                  = local.fn_name
  description                    = "Validates reviews from ${local.source_stream.name} and writes them to ${local.table.name}."
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
      # PutItem: when DynamoDB refuses a whole BatchWriteItem as invalid, items are re-put one at a time so only
      # the bad one is rejected.
      sid       = "WriteReviews"
      actions   = ["dynamodb:BatchWriteItem", "dynamodb:PutItem"]
      resources = [local.table.arn]
    },
    {
      sid       = "WriteRejects"
      actions   = ["s3:PutObject"]
      resources = ["${var.rejects_bucket_arn}/${local.rejected_prefix}*"]
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
      sid       = "EncryptRejects"
      actions   = ["kms:GenerateDataKey"]
      resources = [var.rejects_kms_key_arn]
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

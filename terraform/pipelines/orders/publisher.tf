# orders-cdc-publisher: the table's stream (NEW_AND_OLD_IMAGES) -> CDC records -> PutRecords to the sales stream.
locals {
  publisher_key = "orders-cdc-publisher"
  publisher     = local.pipeline.functions[local.publisher_key]
  orders_table  = module.tables[local.publisher.source.table]
  sales_stream  = module.streams["sales"]
}

module "publisher" {
  source = "../../modules/lambda_function"

  function_name                  = local.fn_names[local.publisher_key]
  description                    = "Publishes ${local.orders_table.name} changes as CDC records to ${local.sales_stream.name}."
  artifact_path                  = "${var.artifacts_dir}/${local.publisher_key}.zip"
  memory_size                    = local.publisher.memory_mb
  timeout                        = local.publisher.timeout_s
  ephemeral_storage_mb           = try(local.publisher.ephemeral_storage_mb, 512)
  environment_variables          = local.environment_variables[local.publisher_key]
  reserved_concurrent_executions = lookup(var.reserved_concurrency, local.publisher_key, null)
  log_retention_days             = var.log_retention_days
  log_kms_key_arn                = module.key.arn
  tags                           = var.tags

  policy_statements = [
    {
      # The stream label changes if the stream is ever re-enabled, hence every stream of exactly this table.
      sid       = "ReadTableStream"
      actions   = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"]
      resources = ["${local.orders_table.arn}/stream/*"]
    },
    {
      sid       = "PublishToSalesStream"
      actions   = ["kinesis:PutRecords"]
      resources = [local.sales_stream.arn]
    },
    {
      sid       = "WriteRejects"
      actions   = ["s3:PutObject"]
      resources = ["${var.rejects_bucket_arn}/${trimprefix(local.publisher.environment.REJECTED_PREFIX, "literal:")}*"]
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
      resources = module.tunables[local.publisher_key].path_arns
    },
  ]

  stream_sources = {
    (local.publisher.source.table) = {
      event_source_arn                   = local.orders_table.stream_arn
      on_failure_destination_arn         = module.failure_queue.arn
      starting_position                  = local.publisher.source.starting_position
      batch_size                         = local.publisher.source.batch_size
      maximum_batching_window_in_seconds = local.publisher.source.batching_window_s
      parallelization_factor             = local.publisher.source.parallelization_factor
      bisect_batch_on_function_error     = local.publisher.source.bisect_on_error
      maximum_retry_attempts             = local.publisher.source.maximum_retry_attempts
      maximum_record_age_in_seconds      = local.publisher.source.maximum_record_age_s
    }
  }
}

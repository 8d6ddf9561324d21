# Data Firehose reads the sales stream, hands batches to orders-firehose-transform (flat JSON lines + partition keys
# year/month/day), and writes them to the analytics bucket under the topology's dynamic-partitioning prefix.
locals {
  transform_key = local.delivery.transform_function
  transform     = local.pipeline.functions[local.transform_key]
  analytics     = module.buckets[local.delivery.bucket]
}

module "transform" {
  source = "../../modules/lambda_function"

  function_name                  = local.fn_names[local.transform_key]
  description                    = "Data Firehose transform: CDC record -> flat order line with year/month/day partition keys."
  artifact_path                  = "${var.artifacts_dir}/${local.transform_key}.zip"
  memory_size                    = local.transform.memory_mb
  timeout                        = local.transform.timeout_s
  ephemeral_storage_mb           = try(local.transform.ephemeral_storage_mb, 512)
  environment_variables          = local.environment_variables[local.transform_key]
  reserved_concurrent_executions = lookup(var.reserved_concurrency, local.transform_key, null)
  log_retention_days             = var.log_retention_days
  log_kms_key_arn                = module.key.arn
  tags                           = var.tags

  # Firehose invokes it with its own role; the function itself touches nothing but its tunables.
  policy_statements = [
    {
      sid       = "ReadTunables"
      actions   = ["ssm:GetParametersByPath"]
      resources = module.tunables[local.transform_key].path_arns
    },
  ]
}

module "delivery" {
  source = "../../modules/firehose_delivery"

  name                        = "${local.delivery.name}-${var.environment}"
  source_stream_arn           = module.streams[local.delivery.source_stream].arn
  source_stream_kms_key_arn   = module.key.arn
  bucket_arn                  = local.analytics.arn
  bucket_kms_key_arn          = module.key.arn
  prefix                      = local.delivery.prefix
  error_output_prefix         = local.delivery.error_prefix
  buffering_size_mb           = local.delivery.buffering_size_mb
  buffering_interval_s        = local.delivery.buffering_interval_s
  transform_function_arn      = module.transform.arn
  processor_buffer_size_mb    = local.delivery.processor_buffer_size_mb
  processor_buffer_interval_s = local.delivery.processor_buffer_interval_s
  dynamic_partitioning        = true
  log_retention_days          = var.log_retention_days
  tags                        = var.tags
}

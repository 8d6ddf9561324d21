module "tunables" {
  source = "../../modules/ssm_parameters"

  path       = "${local.shared.ssm_prefix}/${var.environment}/${local.fn_key}"
  parameters = local.fn.tunables
  tags       = var.tags
}

locals {
  references = merge(
    { for k, m in module.tables : "table:${k}" => m.name },
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

  ingest   = module.queues[local.fn.source.queue]
  source   = module.buckets["source"]
  output   = module.buckets["output"]
  priority = module.tables["priority"]
}

module "function" {
  source = "../../modules/lambda_function"

  function_name                  = local.fn_name
  description                    = "Consolidates partner catalog files from ${local.source.name} into ${local.output.name}."
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
      sid       = "ConsumeIngestQueue"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
      resources = [local.ingest.arn]
    },
    {
      sid       = "ReadPartnerFiles"
      actions   = ["s3:GetObject"]
      resources = ["${local.source.arn}/*"]
    },
    {
      # Without ListBucket a missing object answers 403 instead of 404, and the function must tell "gone" apart.
      sid       = "TellMissingPartnerFiles"
      actions   = ["s3:ListBucket"]
      resources = [local.source.arn]
    },
    {
      # Consolidated output under year=/month=/day=, bad lines under rejected/ (issue 4). DeleteObject removes an
      # uploaded file whose messages failed elsewhere, so the retry cannot duplicate its records.
      sid       = "WriteConsolidatedOutput"
      actions   = ["s3:PutObject", "s3:DeleteObject"]
      resources = ["${local.output.arn}/year=*", "${local.output.arn}/rejected/*"]
    },
    {
      # The priority list is read once per container (by content type or whole) and cached.
      sid       = "ReadPartnerPriority"
      actions   = ["dynamodb:GetItem", "dynamodb:Scan"]
      resources = [local.priority.arn]
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

  sqs_sources = {
    (local.fn.source.queue) = {
      queue_arn                          = local.ingest.arn
      queue_visibility_timeout_seconds   = local.ingest.visibility_timeout_seconds
      batch_size                         = local.fn.source.batch_size
      maximum_batching_window_in_seconds = local.fn.source.batching_window_s
      maximum_concurrency                = try(local.fn.source.maximum_concurrency, null)
    }
  }
}

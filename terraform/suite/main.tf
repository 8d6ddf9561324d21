# The whole suite of one environment: shared resources, the five pipelines, and their monitoring.
# Every name, batch size, window, retry and tunable comes from topology/topology.json.
locals {
  # Built from repo_root as the environments always did, so the paths (and the functions' filename in state)
  # do not change.
  topology_path = "${var.repo_root}/topology/topology.json"
  topology      = jsondecode(file(local.topology_path))
  artifacts_dir = coalesce(var.artifacts_dir, "${var.repo_root}/artifacts")

  log_retention_days = coalesce(var.log_retention_days, local.topology.shared.log_retention_days)

  # Every function name by topology key: monitored, and an output.
  functions = merge(module.reviews.functions, module.events.functions, module.orders.functions, module.counties.functions, module.catalog.functions)
}

module "shared" {
  source = "../pipelines/shared"

  environment              = var.environment
  name_prefix              = var.name_prefix
  topology_path            = local.topology_path
  deletion_protection      = var.deletion_protection
  kms_deletion_window_days = var.kms_deletion_window_days
}

module "reviews" {
  source = "../pipelines/reviews"

  environment              = var.environment
  name_prefix              = var.name_prefix
  topology_path            = local.topology_path
  artifacts_dir            = local.artifacts_dir
  log_retention_days       = local.log_retention_days
  log_level                = var.log_level
  deletion_protection      = var.deletion_protection
  kms_deletion_window_days = var.kms_deletion_window_days
  reserved_concurrency     = var.reserved_concurrency
  shared_values            = module.shared.shared_values
  rejects_bucket_arn       = module.shared.rejects_bucket_arn
  rejects_kms_key_arn      = module.shared.rejects_kms_key_arn
}

module "events" {
  source = "../pipelines/events"

  environment              = var.environment
  name_prefix              = var.name_prefix
  topology_path            = local.topology_path
  artifacts_dir            = local.artifacts_dir
  log_retention_days       = local.log_retention_days
  log_level                = var.log_level
  deletion_protection      = var.deletion_protection
  kms_deletion_window_days = var.kms_deletion_window_days
  reserved_concurrency     = var.reserved_concurrency
  shared_values            = module.shared.shared_values
}

module "orders" {
  source = "../pipelines/orders"

  environment              = var.environment
  name_prefix              = var.name_prefix
  topology_path            = local.topology_path
  artifacts_dir            = local.artifacts_dir
  log_retention_days       = local.log_retention_days
  log_level                = var.log_level
  deletion_protection      = var.deletion_protection
  kms_deletion_window_days = var.kms_deletion_window_days
  reserved_concurrency     = var.reserved_concurrency
  shared_values            = module.shared.shared_values
  rejects_bucket_arn       = module.shared.rejects_bucket_arn
  rejects_kms_key_arn      = module.shared.rejects_kms_key_arn
}

module "counties" {
  source = "../pipelines/counties"

  environment              = var.environment
  name_prefix              = var.name_prefix
  topology_path            = local.topology_path
  artifacts_dir            = local.artifacts_dir
  log_retention_days       = local.log_retention_days
  log_level                = var.log_level
  deletion_protection      = var.deletion_protection
  kms_deletion_window_days = var.kms_deletion_window_days
  reserved_concurrency     = var.reserved_concurrency
  shared_values            = module.shared.shared_values
  rejects_bucket_arn       = module.shared.rejects_bucket_arn
  rejects_kms_key_arn      = module.shared.rejects_kms_key_arn
}

module "catalog" {
  source = "../pipelines/catalog"
  providers = {
    aws         = aws
    aws.replica = aws.replica
  }

  environment              = var.environment
  name_prefix              = var.name_prefix
  topology_path            = local.topology_path
  artifacts_dir            = local.artifacts_dir
  log_retention_days       = local.log_retention_days
  log_level                = var.log_level
  deletion_protection      = var.deletion_protection
  kms_deletion_window_days = var.kms_deletion_window_days
  reserved_concurrency     = var.reserved_concurrency
  shared_values            = module.shared.shared_values
  replication_enabled      = var.catalog_replication
}

module "monitoring" {
  source = "../modules/monitoring"

  name                      = "realtime-pipelines-${var.environment}"
  alarm_email               = var.alarm_email
  metrics_namespace         = local.topology.shared.metrics_namespace
  iterator_age_threshold_ms = var.iterator_age_threshold_ms
  queue_age_threshold_s     = var.queue_age_threshold_s

  functions                 = local.functions
  stream_consumer_functions = merge(module.reviews.stream_consumer_functions, module.events.stream_consumer_functions, module.orders.stream_consumer_functions, module.counties.stream_consumer_functions)
  kinesis_streams           = merge(module.reviews.kinesis_streams, module.events.kinesis_streams, module.orders.kinesis_streams, module.counties.kinesis_streams)
  queues                    = module.catalog.queues
  dead_letter_queues        = merge(module.reviews.dead_letter_queues, module.events.dead_letter_queues, module.orders.dead_letter_queues, module.counties.dead_letter_queues, module.catalog.dead_letter_queues)
  firehose_streams          = module.orders.firehose_streams
}

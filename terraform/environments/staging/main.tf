# This environment's suite: every setting comes from terraform.tfvars (see terraform/suite for what each does).
module "suite" {
  source = "../../suite"
  providers = {
    aws         = aws
    aws.replica = aws.replica
  }

  repo_root                 = "${path.root}/../../.."
  artifacts_dir             = var.artifacts_dir
  environment               = var.environment
  name_prefix               = var.name_prefix
  alarm_email               = var.alarm_email
  log_retention_days        = var.log_retention_days
  deletion_protection       = var.deletion_protection
  catalog_replication       = var.catalog_replication
  kms_deletion_window_days  = var.kms_deletion_window_days
  reserved_concurrency      = var.reserved_concurrency
  log_level                 = var.log_level
  iterator_age_threshold_ms = var.iterator_age_threshold_ms
  queue_age_threshold_s     = var.queue_age_threshold_s
}

# The suite's modules used to be called from here: their state moves under module.suite, nothing is replaced.
moved {
  from = module.shared
  to   = module.suite.module.shared
}

moved {
  from = module.reviews
  to   = module.suite.module.reviews
}

moved {
  from = module.events
  to   = module.suite.module.events
}

moved {
  from = module.orders
  to   = module.suite.module.orders
}

moved {
  from = module.counties
  to   = module.suite.module.counties
}

moved {
  from = module.catalog
  to   = module.suite.module.catalog
}

moved {
  from = module.monitoring
  to   = module.suite.module.monitoring
}

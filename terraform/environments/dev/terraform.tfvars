# dev: cheap and disposable. Buckets can be destroyed with their contents, tables are not deletion-protected.
environment              = "dev"
region                   = "eu-west-1"
replica_region           = "eu-central-1"
deletion_protection      = false
catalog_replication      = false
log_retention_days       = 14
kms_deletion_window_days = 7
log_level                = "DEBUG"

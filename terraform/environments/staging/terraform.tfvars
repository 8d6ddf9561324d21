# staging: production-shaped settings with shorter retention; data may be thrown away.
environment              = "staging"
region                   = "eu-west-1"
replica_region           = "eu-central-1"
deletion_protection      = false
catalog_replication      = false
log_retention_days       = 30
kms_deletion_window_days = 14
log_level                = "INFO"

# prod: deletion protection on (DynamoDB tables refuse DeleteTable, buckets keep their data on destroy), long log
# retention, the catalog buckets replicated to a second region, and alarms mailed to the on-call mailbox.
environment              = "prod"
region                   = "eu-west-1"
replica_region           = "eu-central-1"
deletion_protection      = true
catalog_replication      = true
log_retention_days       = 365
kms_deletion_window_days = 30
log_level                = "INFO"
# The team mailbox: AWS mails a confirmation link after the first apply; alarms flow once it is clicked.
alarm_email = "data-pipelines-oncall@example.com"
# The catalog consolidator may never starve the other functions of concurrency, nor take more than this.
reserved_concurrency = {
  "catalog-consolidator" = 10
}

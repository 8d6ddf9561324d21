# Inputs set by terraform.tfvars (or -var). Optional ones default to null, which takes the suite's default
# (terraform/suite/variables.tf, which also validates them).

variable "environment" {
  description = "Environment name (dev, staging or prod); it is in every resource name and in the default tags."
  type        = string
}

variable "region" {
  description = "AWS region of the suite."
  type        = string
}

variable "replica_region" {
  description = "Region of the catalog buckets' disaster-recovery replicas (must differ from region)."
  type        = string
}

variable "deletion_protection" {
  description = "DynamoDB deletion protection on, and buckets not force-destroyable."
  type        = bool
}

variable "artifacts_dir" {
  description = "Directory with the function zips from scripts/package.sh; null means <repo>/artifacts."
  type        = string
  default     = null
}

variable "name_prefix" {
  description = "Short prefix that, with the environment and the account id, makes bucket names globally unique (suite default rtp)."
  type        = string
  default     = null
}

variable "alarm_email" {
  description = "Address that receives alarm notifications; null for none."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Retention of every log group; null takes topology shared.log_retention_days."
  type        = number
  default     = null
}

variable "catalog_replication" {
  description = "Replicate the catalog source and output buckets to replica_region (suite default false)."
  type        = bool
  default     = null
}

variable "kms_deletion_window_days" {
  description = "Waiting period before a scheduled KMS key deletion completes (suite default 30)."
  type        = number
  default     = null
}

variable "reserved_concurrency" {
  description = "Reserved concurrency by function key (e.g. catalog-consolidator = 10); absent keys stay unreserved."
  type        = map(number)
  default     = null
}

variable "log_level" {
  description = "LOG_LEVEL of every function (suite default INFO)."
  type        = string
  default     = null
}

variable "iterator_age_threshold_ms" {
  description = "Alarm threshold for stream lag (suite default 60000)."
  type        = number
  default     = null
}

variable "queue_age_threshold_s" {
  description = "Alarm threshold for the oldest message in a work queue (suite default 900)."
  type        = number
  default     = null
}

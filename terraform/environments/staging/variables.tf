variable "environment" {
  description = "Environment name; it is in every resource name and in the default tags."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "artifacts_dir" {
  description = "Directory with the function zips from scripts/package.sh; null means <repo>/artifacts."
  type        = string
  default     = null
}

variable "region" {
  description = "AWS region of the suite."
  type        = string
}

variable "replica_region" {
  description = "Region of the catalog buckets' disaster-recovery replicas (must differ from region)."
  type        = string
}

variable "name_prefix" {
  description = "Short prefix that, with the environment and the account id, makes bucket names globally unique."
  type        = string
  default     = "rtp"
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

variable "deletion_protection" {
  description = "DynamoDB deletion protection on, and buckets not force-destroyable."
  type        = bool
}

variable "catalog_replication" {
  description = "Replicate the catalog source and output buckets to replica_region."
  type        = bool
  default     = false
}

variable "kms_deletion_window_days" {
  description = "Waiting period before a scheduled KMS key deletion completes."
  type        = number
  default     = 30
}

variable "reserved_concurrency" {
  description = "Reserved concurrency by function key (e.g. catalog-consolidator = 10); absent keys stay unreserved."
  type        = map(number)
  default     = {}
}

variable "log_level" {
  description = "LOG_LEVEL of every function."
  type        = string
  default     = "INFO"
}

variable "iterator_age_threshold_ms" {
  description = "Alarm threshold for stream lag."
  type        = number
  default     = 60000
}

variable "queue_age_threshold_s" {
  description = "Alarm threshold for the oldest message in a work queue."
  type        = number
  default     = 900
}

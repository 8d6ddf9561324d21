# Optional inputs are nullable = false: an environment passes its variable through, null when its tfvars leave
# it out, and the default here applies. The defaults live only here.

variable "environment" {
  description = "Environment name; it is in every resource name."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "repo_root" {
  description = "Repository root as seen from where terraform runs (environments pass path.root/../../..); topology/topology.json and artifacts/ are found under it."
  type        = string
}

variable "artifacts_dir" {
  description = "Directory with the function zips from scripts/package.sh; null means <repo_root>/artifacts."
  type        = string
  default     = null
}

variable "name_prefix" {
  description = "Short prefix that, with the environment and the account id, makes bucket names globally unique."
  type        = string
  default     = "rtp"
  nullable    = false
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
  nullable    = false
}

variable "catalog_replication" {
  description = "Replicate the catalog source and output buckets to the aws.replica region."
  type        = bool
  default     = false
  nullable    = false
}

variable "kms_deletion_window_days" {
  description = "Waiting period before a scheduled KMS key deletion completes."
  type        = number
  default     = 30
  nullable    = false
}

variable "reserved_concurrency" {
  description = "Reserved concurrency by function key (e.g. catalog-consolidator = 10); absent keys stay unreserved."
  type        = map(number)
  default     = {}
  nullable    = false
}

variable "log_level" {
  description = "LOG_LEVEL of every function."
  type        = string
  default     = "INFO"
  nullable    = false
}

variable "iterator_age_threshold_ms" {
  description = "Alarm threshold for stream lag."
  type        = number
  default     = 60000
  nullable    = false
}

variable "queue_age_threshold_s" {
  description = "Alarm threshold for the oldest message in a work queue."
  type        = number
  default     = 900
  nullable    = false
}

variable "environment" {
  description = "Environment name; every resource name carries it."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "name_prefix" {
  description = "Short prefix that, with the environment and the account id, makes bucket names globally unique."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,11}$", var.name_prefix))
    error_message = "name_prefix must be 1-12 lowercase letters, digits or '-'."
  }
}

variable "topology_path" {
  description = "Path of topology/topology.json, the one description of names, batch sizes, windows, retries and tunables."
  type        = string

  validation {
    condition     = can(jsondecode(file(var.topology_path)).pipelines)
    error_message = "topology_path must point at topology/topology.json."
  }
}

variable "log_retention_days" {
  description = "Retention of the pipeline's log groups."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts."
  }
}

variable "deletion_protection" {
  description = "Protect stateful resources from deletion (DynamoDB deletion protection; buckets refuse to be destroyed while not empty)."
  type        = bool
}

variable "kms_deletion_window_days" {
  description = "Waiting period before a scheduled deletion of the pipeline's KMS key completes."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30
    error_message = "kms_deletion_window_days must be between 7 and 30."
  }
}

variable "tags" {
  description = "Extra tags for the pipeline's resources (the provider's default_tags add environment and project)."
  type        = map(string)
  default     = {}
}

variable "artifacts_dir" {
  description = "Directory holding the function zips built by scripts/package.sh (<function>.zip)."
  type        = string
}

variable "shared_values" {
  description = "Values of shared:<key> references in function environments (topology shared settings, with the real rejects bucket name)."
  type        = map(string)
}

variable "log_level" {
  description = "LOG_LEVEL for the functions."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARN or ERROR."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrency per function key (absent: unreserved)."
  type        = map(number)
  default     = {}
}

variable "replication_enabled" {
  description = "Replicate the source and output buckets to the aws.replica region (disaster recovery, as the catalog seed asks)."
  type        = bool
  default     = false
}

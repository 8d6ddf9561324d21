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

variable "rejects_retention_days" {
  description = "Days a rejected record stays in the rejects bucket before it expires."
  type        = number
  default     = 90

  validation {
    condition     = var.rejects_retention_days >= 1
    error_message = "rejects_retention_days must be at least 1."
  }
}

variable "alias" {
  description = "Alias name without the alias/ prefix, e.g. pipelines-reviews-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/")
    error_message = "alias must be 1-250 characters of letters, digits, '/', '_' or '-' and must not start with aws/ (reserved for AWS managed keys)."
  }
}

variable "description" {
  description = "What the key protects."
  type        = string
}

variable "deletion_window_in_days" {
  description = "Waiting period before a scheduled key deletion completes."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be between 7 and 30."
  }
}

variable "service_principals" {
  description = <<-EOT
    AWS services that use the key themselves (not through a caller's IAM role), e.g. CloudWatch Logs encrypting a
    log group, S3 sending notifications to an encrypted queue, CloudWatch alarms publishing to an encrypted topic.
    Each entry names the service principal, the exact KMS actions it needs, and conditions (e.g. the log group ARN
    in the encryption context) where the service documents them.
  EOT
  type = list(object({
    sid       = string
    principal = string
    actions   = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default = []

  validation {
    condition = alltrue([
      for s in var.service_principals : alltrue([for a in s.actions : startswith(a, "kms:") && !strcontains(a, "*")])
    ])
    error_message = "service_principals actions must be exact kms: actions (no wildcards)."
  }

  validation {
    condition     = alltrue([for s in var.service_principals : endswith(s.principal, ".amazonaws.com")])
    error_message = "service_principals principal must be an AWS service principal (*.amazonaws.com)."
  }
}

variable "tags" {
  description = "Tags added to the key (environment default_tags are added by the provider)."
  type        = map(string)
  default     = {}
}

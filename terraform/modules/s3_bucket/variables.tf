variable "name" {
  description = "Globally unique bucket name (callers add the environment and the account id)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name)) && !strcontains(var.name, "..")
    error_message = "name must be 3-63 lowercase letters, digits, '.' or '-', starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "Customer managed key for SSE-KMS default encryption; null uses the AWS managed key alias/aws/s3."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete a non-empty bucket (dev only; keep false where data matters)."
  type        = bool
  default     = false
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which overwritten or deleted object versions are removed (versioning is always on)."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "lifecycle_rules" {
  description = <<-EOT
    Extra lifecycle rules by object prefix: expire current objects after expiration_days and/or move them to
    STANDARD_IA after transition_ia_days (null skips either). Incomplete multipart uploads are always aborted after 7 days.
  EOT
  type = list(object({
    id                 = string
    prefix             = string
    expiration_days    = optional(number)
    transition_ia_days = optional(number)
  }))
  default = []

  validation {
    condition = alltrue([
      for r in var.lifecycle_rules : (r.expiration_days == null || try(r.expiration_days >= 1, false)) &&
      (r.transition_ia_days == null || try(r.transition_ia_days >= 30, false))
    ])
    error_message = "expiration_days must be >= 1 and transition_ia_days >= 30 (the STANDARD_IA minimum) when set."
  }
}

variable "replication" {
  description = <<-EOT
    Optional cross-region replication for disaster recovery: every object (and delete markers) is copied to the
    destination bucket, re-encrypted with the destination key. The destination must already have versioning on.
  EOT
  type = object({
    destination_bucket_arn  = string
    destination_kms_key_arn = string
    storage_class           = optional(string, "STANDARD")
  })
  default = null

  validation {
    condition     = var.replication == null || can(regex("^arn:aws[a-z-]*:s3:::", try(var.replication.destination_bucket_arn, "")))
    error_message = "replication.destination_bucket_arn must be an S3 bucket ARN."
  }
}

variable "tags" {
  description = "Tags added to the bucket."
  type        = map(string)
  default     = {}
}

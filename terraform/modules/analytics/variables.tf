variable "database_name" {
  description = "Glue Data Catalog database (already carrying the environment)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9_]{1,255}$", var.database_name))
    error_message = "database_name must be lowercase letters, digits and '_' (what Athena accepts unquoted)."
  }
}

variable "crawler_name" {
  description = "Glue crawler name."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,255}$", var.crawler_name))
    error_message = "crawler_name must be letters, digits, '_' or '-'."
  }
}

variable "bucket_name" {
  description = "Bucket holding the data (and the Athena results under results_prefix)."
  type        = string
}

variable "bucket_arn" {
  description = "ARN of bucket_name."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9.-]+$", var.bucket_arn))
    error_message = "bucket_arn must be an S3 bucket ARN."
  }
}

variable "bucket_kms_key_arn" {
  description = "Key the bucket's objects are encrypted with; also encrypts Athena results."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.bucket_kms_key_arn))
    error_message = "bucket_kms_key_arn must be a KMS key ARN."
  }
}

variable "data_prefix" {
  description = "Prefix the crawler reads, e.g. orders/ (one table named table_prefix + the folder name)."
  type        = string

  validation {
    condition     = can(regex("^[^!{}]+/$", var.data_prefix))
    error_message = "data_prefix must be a fixed prefix ending with '/' (no expressions)."
  }
}

variable "table_prefix" {
  description = "Prefix the crawler puts before table names."
  type        = string
  default     = ""
}

variable "crawler_schedule" {
  description = "Crawler schedule as a cron() expression; null runs it only on demand."
  type        = string
  default     = null

  validation {
    condition     = var.crawler_schedule == null || can(regex("^cron\\(.+\\)$", coalesce(var.crawler_schedule, "x")))
    error_message = "crawler_schedule must be a cron(...) expression or null."
  }
}

variable "json_path" {
  description = "JSON path of the custom JSON classifier: the object that defines a row. \"$\" = each top-level object (one per line)."
  type        = string
  default     = "$"

  validation {
    condition     = startswith(var.json_path, "$")
    error_message = "json_path must be a JSON path starting with $."
  }
}

variable "workgroup_name" {
  description = "Athena workgroup name."
  type        = string
}

variable "results_prefix" {
  description = "Prefix in the bucket for Athena query results."
  type        = string
  default     = "athena-results/"

  validation {
    condition     = endswith(var.results_prefix, "/")
    error_message = "results_prefix must end with '/'."
  }
}

variable "bytes_scanned_cutoff_per_query" {
  description = "Athena cancels a query that would scan more than this many bytes (cost guard)."
  type        = number
  default     = 10737418240

  validation {
    condition     = var.bytes_scanned_cutoff_per_query >= 10485760
    error_message = "bytes_scanned_cutoff_per_query must be at least 10 MB (Athena's minimum)."
  }
}

variable "named_queries" {
  description = "Saved Athena queries by name."
  type = map(object({
    description = string
    query       = string
  }))
  default = {}
}

variable "force_destroy" {
  description = "Let terraform destroy delete the workgroup with its saved queries and history."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to the database, crawler, role and workgroup."
  type        = map(string)
  default     = {}
}

variable "function_name" {
  description = "Function name (already carrying the environment)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be 1-64 letters, digits, '_' or '-'."
  }
}

variable "description" {
  description = "What the function does."
  type        = string
  default     = ""
}

variable "artifact_path" {
  description = "Path of the deployment zip built by scripts/package.sh (artifacts/<function>.zip, bootstrap at the root)."
  type        = string

  validation {
    condition     = endswith(var.artifact_path, ".zip")
    error_message = "artifact_path must point at a .zip file."
  }
}

variable "memory_size" {
  description = "Memory in MB (CPU scales with it)."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be between 128 and 10240."
  }
}

variable "timeout" {
  description = "Timeout in seconds."
  type        = number
  default     = 60

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900
    error_message = "timeout must be between 1 and 900."
  }
}

variable "ephemeral_storage_mb" {
  description = "Size of /tmp in MB."
  type        = number
  default     = 512

  validation {
    condition     = var.ephemeral_storage_mb >= 512 && var.ephemeral_storage_mb <= 10240
    error_message = "ephemeral_storage_mb must be between 512 and 10240."
  }
}

variable "environment_variables" {
  description = "Environment variables (names of tables, streams, buckets; SSM prefix; log level). Lambda sets AWS_REGION itself."
  type        = map(string)
  default     = {}

  validation {
    condition = length(setintersection(keys(var.environment_variables), [
      "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
      "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
      "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ])) == 0
    error_message = "environment_variables must not set Lambda's reserved variables (AWS_REGION, AWS_LAMBDA_*, credentials, ...)."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for (and capping) the function; null leaves it unreserved."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrent_executions == null || try(var.reserved_concurrent_executions >= 0, false)
    error_message = "reserved_concurrent_executions must be >= 0 or null."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention for the function's log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "log_kms_key_arn" {
  description = "Customer managed key for the log group (its key policy must admit logs.<region>.amazonaws.com); null uses CloudWatch's own encryption."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "policy_statements" {
  description = <<-EOT
    The only permissions the function's role gets besides writing its own log group and X-Ray traces: exact
    actions on exact resource ARNs (read its event source, write its sink, send to its failure queue, use its keys,
    read its SSM parameters).
  EOT
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.policy_statements : alltrue([for a in s.actions : can(regex("^[a-z0-9-]+:[A-Za-z0-9]+$", a))])])
    error_message = "policy_statements actions must be exact service:Action names (no wildcards)."
  }

  validation {
    condition     = alltrue([for s in var.policy_statements : length(s.resources) > 0 && !contains(s.resources, "*")])
    error_message = "policy_statements resources must be ARNs; Resource \"*\" is not allowed."
  }
}

variable "stream_sources" {
  description = <<-EOT
    Kinesis or DynamoDB stream event source mappings by key. Each reports partial batch failures
    (ReportBatchItemFailures), bisects failing batches, retries a bounded number of times, drops records older than
    maximum_record_age_in_seconds, and sends what it gives up on to an on-failure SQS queue.
  EOT
  type = map(object({
    event_source_arn                   = string
    on_failure_destination_arn         = string
    starting_position                  = optional(string, "TRIM_HORIZON")
    batch_size                         = optional(number, 100)
    maximum_batching_window_in_seconds = optional(number, 1)
    parallelization_factor             = optional(number, 1)
    bisect_batch_on_function_error     = optional(bool, true)
    maximum_retry_attempts             = optional(number, 5)
    maximum_record_age_in_seconds      = optional(number, 86400)
    filter_patterns                    = optional(list(string), [])
  }))
  default = {}

  validation {
    condition     = alltrue([for s in values(var.stream_sources) : can(regex("^arn:aws[a-z-]*:(kinesis|dynamodb):", s.event_source_arn))])
    error_message = "stream_sources event_source_arn must be a Kinesis stream or DynamoDB stream ARN."
  }

  validation {
    condition     = alltrue([for s in values(var.stream_sources) : can(regex("^arn:aws[a-z-]*:sqs:", s.on_failure_destination_arn))])
    error_message = "stream_sources on_failure_destination_arn must be an SQS queue ARN."
  }

  validation {
    condition     = alltrue([for s in values(var.stream_sources) : contains(["TRIM_HORIZON", "LATEST"], s.starting_position)])
    error_message = "stream_sources starting_position must be TRIM_HORIZON or LATEST."
  }

  validation {
    condition     = alltrue([for s in values(var.stream_sources) : s.maximum_retry_attempts >= 0 && s.maximum_retry_attempts <= 10000])
    error_message = "stream_sources maximum_retry_attempts must be bounded: 0 to 10000 (-1, infinite, is refused)."
  }

  validation {
    condition     = alltrue([for s in values(var.stream_sources) : s.maximum_record_age_in_seconds >= 60 && s.maximum_record_age_in_seconds <= 604800])
    error_message = "stream_sources maximum_record_age_in_seconds must be bounded: 60 to 604800 (-1, infinite, is refused)."
  }

  validation {
    condition = alltrue([for s in values(var.stream_sources) : s.batch_size >= 1 && s.batch_size <= 10000 &&
    s.maximum_batching_window_in_seconds >= 0 && s.maximum_batching_window_in_seconds <= 300])
    error_message = "stream_sources batch_size must be 1-10000 and maximum_batching_window_in_seconds 0-300."
  }

  validation {
    condition     = alltrue([for s in values(var.stream_sources) : s.parallelization_factor >= 1 && s.parallelization_factor <= 10])
    error_message = "stream_sources parallelization_factor must be between 1 and 10."
  }
}

variable "sqs_sources" {
  description = <<-EOT
    SQS event source mappings by key. Each reports partial batch failures (ReportBatchItemFailures). The queue's
    visibility timeout is passed in so the module can refuse one shorter than 6x the function timeout.
  EOT
  type = map(object({
    queue_arn                          = string
    queue_visibility_timeout_seconds   = number
    batch_size                         = optional(number, 10)
    maximum_batching_window_in_seconds = optional(number, 0)
    maximum_concurrency                = optional(number)
    filter_patterns                    = optional(list(string), [])
  }))
  default = {}

  validation {
    condition     = alltrue([for s in values(var.sqs_sources) : can(regex("^arn:aws[a-z-]*:sqs:", s.queue_arn))])
    error_message = "sqs_sources queue_arn must be an SQS queue ARN."
  }

  validation {
    condition = alltrue([for s in values(var.sqs_sources) : s.batch_size >= 1 && s.batch_size <= 10000 &&
      s.maximum_batching_window_in_seconds >= 0 && s.maximum_batching_window_in_seconds <= 300 &&
    (s.batch_size <= 10 || s.maximum_batching_window_in_seconds >= 1)])
    error_message = "sqs_sources batch_size must be 1-10000, the window 0-300 s, and a batch size over 10 needs a window of at least 1 s."
  }

  validation {
    condition     = alltrue([for s in values(var.sqs_sources) : s.maximum_concurrency == null || try(s.maximum_concurrency >= 2 && s.maximum_concurrency <= 1000, false)])
    error_message = "sqs_sources maximum_concurrency must be between 2 and 1000 or null."
  }
}

variable "tags" {
  description = "Tags added to the function, role, log group and mappings."
  type        = map(string)
  default     = {}
}

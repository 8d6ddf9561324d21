variable "name" {
  description = "Delivery stream name (already carrying the environment)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_.-]{1,64}$", var.name))
    error_message = "name must be 1-64 letters, digits, '_', '.' or '-'."
  }
}

variable "source_stream_arn" {
  description = "Kinesis data stream the delivery stream reads."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kinesis:[^:]+:[0-9]{12}:stream/.+$", var.source_stream_arn))
    error_message = "source_stream_arn must be a Kinesis stream ARN."
  }
}

variable "source_stream_kms_key_arn" {
  description = "Key the source stream is encrypted with (Firehose decrypts through Kinesis); null for the AWS managed key."
  type        = string
  default     = null
}

variable "bucket_arn" {
  description = "Destination bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9.-]+$", var.bucket_arn))
    error_message = "bucket_arn must be an S3 bucket ARN."
  }
}

variable "bucket_kms_key_arn" {
  description = "Key for SSE-KMS of delivered objects (the bucket's key). Firehose with a Kinesis source keeps no data at rest itself: the stream's encryption covers the source side."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.bucket_kms_key_arn))
    error_message = "bucket_kms_key_arn must be a KMS key ARN."
  }
}

variable "prefix" {
  description = "S3 prefix for delivered objects; may use !{partitionKeyFromLambda:<key>} with dynamic partitioning."
  type        = string

  validation {
    condition     = length(var.prefix) > 0 && endswith(var.prefix, "/")
    error_message = "prefix must be non-empty and end with '/'."
  }
}

variable "error_output_prefix" {
  description = "S3 prefix for records that failed processing or delivery; must contain !{firehose:error-output-type} when prefix uses expressions."
  type        = string

  validation {
    condition     = length(var.error_output_prefix) > 0 && endswith(var.error_output_prefix, "/")
    error_message = "error_output_prefix must be non-empty and end with '/'."
  }
}

variable "buffering_size_mb" {
  description = "S3 buffer size in MB (64-128 with dynamic partitioning)."
  type        = number
  default     = 64

  validation {
    condition     = var.buffering_size_mb >= 1 && var.buffering_size_mb <= 128
    error_message = "buffering_size_mb must be between 1 and 128."
  }
}

variable "buffering_interval_s" {
  description = "S3 buffer interval in seconds."
  type        = number
  default     = 60

  validation {
    condition     = var.buffering_interval_s >= 0 && var.buffering_interval_s <= 900
    error_message = "buffering_interval_s must be between 0 and 900."
  }
}

variable "compression_format" {
  description = "UNCOMPRESSED (matches the local cloud's output) or GZIP."
  type        = string
  default     = "UNCOMPRESSED"

  validation {
    condition     = contains(["UNCOMPRESSED", "GZIP"], var.compression_format)
    error_message = "compression_format must be UNCOMPRESSED or GZIP."
  }
}

variable "transform_function_arn" {
  description = "Lambda transform processor (unqualified ARN); it also returns the dynamic partition keys."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:lambda:[^:]+:[0-9]{12}:function:[a-zA-Z0-9_-]+$", var.transform_function_arn))
    error_message = "transform_function_arn must be an unqualified Lambda function ARN."
  }
}

variable "processor_buffer_size_mb" {
  description = "Data Firehose hands the transform at most this many MB per invocation (0.2-3)."
  type        = number
  default     = 1

  validation {
    condition     = var.processor_buffer_size_mb >= 0.2 && var.processor_buffer_size_mb <= 3
    error_message = "processor_buffer_size_mb must be between 0.2 and 3."
  }
}

variable "processor_buffer_interval_s" {
  description = "Longest wait before invoking the transform (60-900 s)."
  type        = number
  default     = 60

  validation {
    condition     = var.processor_buffer_interval_s >= 60 && var.processor_buffer_interval_s <= 900
    error_message = "processor_buffer_interval_s must be between 60 and 900."
  }
}

variable "dynamic_partitioning" {
  description = "Partition objects by the keys the transform returns (partitionKeyFromLambda)."
  type        = bool
  default     = true
}

variable "retry_duration_s" {
  description = "How long Firehose retries delivery (and dynamic partitioning) before writing to the error prefix."
  type        = number
  default     = 300

  validation {
    condition     = var.retry_duration_s >= 0 && var.retry_duration_s <= 7200
    error_message = "retry_duration_s must be between 0 and 7200."
  }
}

variable "log_retention_days" {
  description = "Retention of the delivery stream's error log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts."
  }
}

variable "tags" {
  description = "Tags added to the delivery stream, its role and log group."
  type        = map(string)
  default     = {}
}

variable "name" {
  description = "Queue name (already carrying the environment)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,76}$", var.name))
    error_message = "name must be 1-76 letters, digits, '_' or '-' (76 leaves room for the -dlq suffix)."
  }
}

variable "is_dead_letter_queue" {
  description = "True for a terminal queue (a DLQ or a Lambda on-failure destination): it gets no DLQ of its own and keeps messages 14 days."
  type        = bool
  default     = false
}

variable "dlq_name" {
  description = "Name of the dead-letter queue created for a work queue; null means <name>-dlq."
  type        = string
  default     = null
}

variable "max_receive_count" {
  description = "Receives after which a message moves to the DLQ."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "visibility_timeout_seconds" {
  description = "How long a received message stays hidden; for a Lambda source use at least 6x the function timeout."
  type        = number
  default     = 30

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 0 and 43200."
  }
}

variable "message_retention_seconds" {
  description = "How long an unprocessed message is kept (60 s to 14 days)."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be between 60 and 1209600."
  }
}

variable "receive_wait_time_seconds" {
  description = "Long polling wait (0-20 s); 20 cuts empty receives."
  type        = number
  default     = 20

  validation {
    condition     = var.receive_wait_time_seconds >= 0 && var.receive_wait_time_seconds <= 20
    error_message = "receive_wait_time_seconds must be between 0 and 20."
  }
}

variable "kms_key_arn" {
  description = "Customer managed key for SSE-KMS; null uses SQS-managed SSE (SSE-SQS). Both encrypt at rest."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN or null."
  }
}

variable "tags" {
  description = "Tags added to the queues."
  type        = map(string)
  default     = {}
}

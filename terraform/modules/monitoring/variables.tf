variable "name" {
  description = "Suite name with the environment, used for the topic, alarm and dashboard names (e.g. realtime-pipelines-dev)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,200}$", var.name))
    error_message = "name must be letters, digits, '_' or '-'."
  }
}

variable "alarm_email" {
  description = "Address subscribed to the alarm topic (the subscription must be confirmed from the mail); null for none."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", coalesce(var.alarm_email, "x")))
    error_message = "alarm_email must be an e-mail address or null."
  }
}

variable "functions" {
  description = "Lambda function names by key: Errors and Throttles alarms for each."
  type        = map(string)
}

variable "stream_consumer_functions" {
  description = "Functions fed by a Kinesis or DynamoDB stream, by key: an alarm on Lambda's IteratorAge for each."
  type        = map(string)
  default     = {}
}

variable "kinesis_streams" {
  description = "Kinesis stream names by key: an alarm on GetRecords.IteratorAgeMilliseconds for each."
  type        = map(string)
  default     = {}
}

variable "queues" {
  description = "Work queue names by key: an alarm on ApproximateAgeOfOldestMessage for each."
  type        = map(string)
  default     = {}
}

variable "dead_letter_queues" {
  description = "DLQ and on-failure queue names by key: an alarm as soon as one message is visible."
  type        = map(string)
  default     = {}
}

variable "firehose_streams" {
  description = "Firehose delivery stream names by key: an alarm when DeliveryToS3.Success drops below 1."
  type        = map(string)
  default     = {}
}

variable "iterator_age_threshold_ms" {
  description = "Alarm when the oldest unprocessed stream record is older than this."
  type        = number
  default     = 60000

  validation {
    condition     = var.iterator_age_threshold_ms >= 1000
    error_message = "iterator_age_threshold_ms must be at least 1000."
  }
}

variable "queue_age_threshold_s" {
  description = "Alarm when the oldest message in a work queue is older than this."
  type        = number
  default     = 900

  validation {
    condition     = var.queue_age_threshold_s >= 60
    error_message = "queue_age_threshold_s must be at least 60."
  }
}

variable "metrics_namespace" {
  description = "Namespace of the functions' Embedded Metric Format metrics, shown on the dashboard."
  type        = string
}

variable "tags" {
  description = "Tags added to the topic, key and alarms."
  type        = map(string)
  default     = {}
}

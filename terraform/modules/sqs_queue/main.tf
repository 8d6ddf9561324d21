# A standard queue, always encrypted (SSE-KMS with the given key, else SSE-SQS), long polling on, and - unless it
# is itself a terminal queue - a dead-letter queue with a redrive policy and a redrive-allow policy on the DLQ that
# admits only this queue.
locals {
  create_dlq = !var.is_dead_letter_queue
  sse_sqs    = var.kms_key_arn == null ? true : null
}

resource "aws_sqs_queue" "dlq" {
  count                             = local.create_dlq ? 1 : 0
  name                              = coalesce(var.dlq_name, "${var.name}-dlq")
  message_retention_seconds         = 1209600
  receive_wait_time_seconds         = 20
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = var.kms_key_arn == null ? null : 300
  sqs_managed_sse_enabled           = local.sse_sqs
  tags                              = var.tags
}

resource "aws_sqs_queue" "this" {
  name                              = var.name
  visibility_timeout_seconds        = var.visibility_timeout_seconds
  message_retention_seconds         = var.is_dead_letter_queue ? 1209600 : var.message_retention_seconds
  receive_wait_time_seconds         = var.receive_wait_time_seconds
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = var.kms_key_arn == null ? null : 300
  sqs_managed_sse_enabled           = local.sse_sqs
  tags                              = var.tags

  redrive_policy = local.create_dlq ? jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq[0].arn
    maxReceiveCount     = var.max_receive_count
  }) : null
}

resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  count     = local.create_dlq ? 1 : 0
  queue_url = aws_sqs_queue.dlq[0].id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.this.arn]
  })
}

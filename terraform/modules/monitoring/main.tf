# Alarms for every moving part of the suite, one SNS topic (encrypted with its own key) they notify, and one dashboard.
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

module "topic_key" {
  source = "../kms_key"

  alias       = "${var.name}-alarms"
  description = "Encrypts the ${var.name} alarm topic."
  tags        = var.tags

  # CloudWatch alarms publish to the encrypted topic with their own service identity.
  service_principals = [{
    sid       = "CloudWatchAlarmsPublish"
    principal = "cloudwatch.amazonaws.com"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
  }]
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = module.topic_key.arn
  tags              = var.tags
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "CloudWatchAlarmsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == null ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  alarms = merge(
    { for k, fn in var.functions : "lambda-errors-${k}" => {
      description = "${fn} returned errors (a whole batch failed or the function crashed)."
      namespace   = "AWS/Lambda", metric = "Errors", dimensions = { FunctionName = fn }
      statistic   = "Sum", comparison = "GreaterThanOrEqualToThreshold", threshold = 1
    } },
    { for k, fn in var.functions : "lambda-throttles-${k}" => {
      description = "${fn} was throttled (concurrency limit reached)."
      namespace   = "AWS/Lambda", metric = "Throttles", dimensions = { FunctionName = fn }
      statistic   = "Sum", comparison = "GreaterThanOrEqualToThreshold", threshold = 1
    } },
    { for k, fn in var.stream_consumer_functions : "lambda-iterator-age-${k}" => {
      description = "${fn} is falling behind its stream."
      namespace   = "AWS/Lambda", metric = "IteratorAge", dimensions = { FunctionName = fn }
      statistic   = "Maximum", comparison = "GreaterThanThreshold", threshold = var.iterator_age_threshold_ms
    } },
    { for k, s in var.kinesis_streams : "kinesis-iterator-age-${k}" => {
      description = "Records in ${s} wait longer than ${var.iterator_age_threshold_ms} ms to be read."
      namespace   = "AWS/Kinesis", metric = "GetRecords.IteratorAgeMilliseconds", dimensions = { StreamName = s }
      statistic   = "Maximum", comparison = "GreaterThanThreshold", threshold = var.iterator_age_threshold_ms
    } },
    { for k, q in var.queues : "sqs-oldest-message-${k}" => {
      description = "The oldest message in ${q} is older than ${var.queue_age_threshold_s} s."
      namespace   = "AWS/SQS", metric = "ApproximateAgeOfOldestMessage", dimensions = { QueueName = q }
      statistic   = "Maximum", comparison = "GreaterThanThreshold", threshold = var.queue_age_threshold_s
    } },
    { for k, q in var.dead_letter_queues : "dlq-depth-${k}" => {
      description = "${q} holds messages that could not be processed: inspect and redrive."
      namespace   = "AWS/SQS", metric = "ApproximateNumberOfMessagesVisible", dimensions = { QueueName = q }
      statistic   = "Maximum", comparison = "GreaterThanThreshold", threshold = 0
    } },
    { for k, f in var.firehose_streams : "firehose-delivery-${k}" => {
      description = "${f} failed to deliver to S3."
      namespace   = "AWS/Firehose", metric = "DeliveryToS3.Success", dimensions = { DeliveryStreamName = f }
      statistic   = "Average", comparison = "LessThanThreshold", threshold = 1
    } },
  )
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  comparison_operator = each.value.comparison
  threshold           = each.value.threshold
  period              = 300
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  tags                = var.tags
}

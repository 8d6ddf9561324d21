# S3 -> SQS notifications from the topology (several buckets or prefixes may feed one queue: fan-in). The queue
# policy admits s3.amazonaws.com only for the buckets that notify it, only from this account.
locals {
  notifications = local.pipeline.notifications

  senders_by_queue = {
    for q in keys(local.pipeline.queues) : q => distinct([for n in local.notifications : n.bucket if n.queue == q])
  }
  notifications_by_bucket = {
    for b in distinct([for n in local.notifications : n.bucket]) : b => [for n in local.notifications : n if n.bucket == b]
  }
}

data "aws_iam_policy_document" "queue" {
  for_each = { for q, senders in local.senders_by_queue : q => senders if length(senders) > 0 }

  statement {
    sid       = "S3NotificationsFromPipelineBuckets"
    actions   = ["sqs:SendMessage"]
    resources = [module.queues[each.key].arn]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [for b in each.value : "arn:${data.aws_partition.current.partition}:s3:::${local.bucket_names[b]}"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_sqs_queue_policy" "notifications" {
  for_each = data.aws_iam_policy_document.queue

  queue_url = module.queues[each.key].url
  policy    = each.value.json
}

resource "aws_s3_bucket_notification" "this" {
  for_each = local.notifications_by_bucket

  bucket = module.buckets[each.key].name

  dynamic "queue" {
    for_each = each.value
    content {
      queue_arn     = module.queues[queue.value.queue].arn
      events        = queue.value.events
      filter_prefix = queue.value.filter_prefix == "" ? null : queue.value.filter_prefix
      filter_suffix = queue.value.filter_suffix == "" ? null : queue.value.filter_suffix
    }
  }

  # S3 sends a test event when the configuration is saved: the queue must already accept it.
  depends_on = [aws_sqs_queue_policy.notifications]
}

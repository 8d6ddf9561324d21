# One dashboard for the suite: records through each function (EMF), Lambda health, stream lag, queues and delivery.
locals {
  region = data.aws_region.current.name

  widgets = [
    {
      type = "metric", x = 0, y = 0, width = 12, height = 6
      properties = {
        title = "Records per function (EMF)", region = local.region, view = "timeSeries", stat = "Sum", period = 300
        metrics = [
          [{ expression = "SEARCH('{${var.metrics_namespace}} MetricName=\"RecordsReceived\"', 'Sum', 300)", id = "received", label = "received" }],
          [{ expression = "SEARCH('{${var.metrics_namespace}} MetricName=\"RecordsWritten\"', 'Sum', 300)", id = "written", label = "written" }],
          [{ expression = "SEARCH('{${var.metrics_namespace}} MetricName=\"RecordsRejected\"', 'Sum', 300)", id = "rejected", label = "rejected" }],
        ]
      }
    },
    {
      type = "metric", x = 12, y = 0, width = 12, height = 6
      properties = {
        title = "Lambda errors and throttles", region = local.region, view = "timeSeries", stat = "Sum", period = 300
        metrics = concat(
          [for fn in values(var.functions) : ["AWS/Lambda", "Errors", "FunctionName", fn]],
          [for fn in values(var.functions) : ["AWS/Lambda", "Throttles", "FunctionName", fn]],
        )
      }
    },
    {
      type = "metric", x = 0, y = 6, width = 12, height = 6
      properties = {
        title   = "Lambda duration (p95)", region = local.region, view = "timeSeries", stat = "p95", period = 300
        metrics = [for fn in values(var.functions) : ["AWS/Lambda", "Duration", "FunctionName", fn]]
      }
    },
    {
      type = "metric", x = 12, y = 6, width = 12, height = 6
      properties = {
        title = "Stream lag (ms)", region = local.region, view = "timeSeries", stat = "Maximum", period = 300
        metrics = concat(
          [for s in values(var.kinesis_streams) : ["AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "StreamName", s]],
          [for fn in values(var.stream_consumer_functions) : ["AWS/Lambda", "IteratorAge", "FunctionName", fn]],
        )
      }
    },
    {
      type = "metric", x = 0, y = 12, width = 12, height = 6
      properties = {
        title = "Queues: oldest message (s) and dead letters", region = local.region, view = "timeSeries", stat = "Maximum", period = 300
        metrics = concat(
          [for q in values(var.queues) : ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", q]],
          [for q in values(var.dead_letter_queues) : ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q]],
        )
      }
    },
    {
      type = "metric", x = 12, y = 12, width = 12, height = 6
      properties = {
        title = "Firehose delivery to S3", region = local.region, view = "timeSeries", stat = "Average", period = 300
        metrics = concat(
          [for f in values(var.firehose_streams) : ["AWS/Firehose", "DeliveryToS3.Success", "DeliveryStreamName", f]],
          [for f in values(var.firehose_streams) : ["AWS/Firehose", "DeliveryToS3.DataFreshness", "DeliveryStreamName", f, { stat = "Maximum", yAxis = "right" }]],
        )
      }
    },
  ]
}

resource "aws_cloudwatch_dashboard" "suite" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.widgets })
}

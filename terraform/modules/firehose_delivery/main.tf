# Kinesis stream -> Data Firehose (Lambda transform, dynamic partitioning) -> S3 (SSE-KMS). The delivery role may
# read exactly the source stream, invoke exactly the transform, and write exactly the two prefixes of the bucket.
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  # The fixed part of each prefix (before the first !{...} expression) bounds the objects the role may write.
  prefix_root       = split("!{", var.prefix)[0]
  error_prefix_root = split("!{", var.error_output_prefix)[0]
  log_stream_name   = "DestinationDelivery"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/kinesisfirehose/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_cloudwatch_log_stream" "delivery" {
  name           = local.log_stream_name
  log_group_name = aws_cloudwatch_log_group.this.name
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = substr("${var.name}-firehose", 0, 64)
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "delivery" {
  statement {
    sid       = "ReadSourceStream"
    actions   = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"]
    resources = [var.source_stream_arn]
  }

  dynamic "statement" {
    for_each = var.source_stream_kms_key_arn == null ? [] : [var.source_stream_kms_key_arn]
    content {
      sid       = "DecryptSourceStream"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["kinesis.${data.aws_region.current.name}.amazonaws.com"]
      }
    }
  }

  statement {
    sid       = "InvokeTransform"
    actions   = ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"]
    resources = [var.transform_function_arn, "${var.transform_function_arn}:*"]
  }

  statement {
    sid       = "LocateBucket"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"]
    resources = [var.bucket_arn]
  }

  statement {
    sid     = "WriteObjects"
    actions = ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"]
    resources = distinct([
      "${var.bucket_arn}/${local.prefix_root}*",
      "${var.bucket_arn}/${local.error_prefix_root}*",
    ])
  }

  statement {
    sid       = "EncryptObjects"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.bucket_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${data.aws_region.current.name}.amazonaws.com"]
    }
  }

  statement {
    sid       = "WriteErrorLog"
    actions   = ["logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:log-stream:${local.log_stream_name}"]
  }
}

resource "aws_iam_role_policy" "delivery" {
  name   = "delivery"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.delivery.json
}

resource "aws_kinesis_firehose_delivery_stream" "this" {
  name        = var.name
  destination = "extended_s3"
  tags        = var.tags

  kinesis_source_configuration {
    kinesis_stream_arn = var.source_stream_arn
    role_arn           = aws_iam_role.this.arn
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.this.arn
    bucket_arn          = var.bucket_arn
    prefix              = var.prefix
    error_output_prefix = var.error_output_prefix
    buffering_size      = var.buffering_size_mb
    buffering_interval  = var.buffering_interval_s
    compression_format  = var.compression_format
    kms_key_arn         = var.bucket_kms_key_arn

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.this.name
      log_stream_name = aws_cloudwatch_log_stream.delivery.name
    }

    dynamic_partitioning_configuration {
      enabled        = var.dynamic_partitioning
      retry_duration = var.retry_duration_s
    }

    processing_configuration {
      enabled = true

      processors {
        type = "Lambda"

        parameters {
          parameter_name  = "LambdaArn"
          parameter_value = "${var.transform_function_arn}:$LATEST"
        }

        parameters {
          parameter_name  = "BufferSizeInMBs"
          parameter_value = tostring(var.processor_buffer_size_mb)
        }

        parameters {
          parameter_name  = "BufferIntervalInSeconds"
          parameter_value = tostring(var.processor_buffer_interval_s)
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = !var.dynamic_partitioning || var.buffering_size_mb >= 64
      error_message = "Dynamic partitioning needs buffering_size_mb of at least 64."
    }

    precondition {
      condition     = !strcontains(var.prefix, "!{") || strcontains(var.error_output_prefix, "!{firehose:error-output-type}")
      error_message = "An expression prefix needs an error_output_prefix containing !{firehose:error-output-type}."
    }
  }

  # Firehose checks the role's access to the stream, bucket and function when the stream is created.
  depends_on = [aws_iam_role_policy.delivery]
}

# One function on the provided.al2023 custom runtime (our self-contained linux-x64 bootstrap, hence x86_64), its own
# log group and its own role. The role holds only: writing its log group, X-Ray traces, and the statements passed in.
data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = substr("${var.function_name}-role", 0, 64)
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "WriteOwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  # X-Ray's write actions support no resource-level scoping: "*" is the only valid resource. They are not data actions.
  statement {
    sid       = "WriteTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.policy_statements
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "execution"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.execution.json
}

resource "aws_lambda_function" "this" {
  function_name                  = var.function_name
  description                    = var.description
  role                           = aws_iam_role.this.arn
  runtime                        = "provided.al2023"
  handler                        = "bootstrap"
  architectures                  = ["x86_64"]
  filename                       = var.artifact_path
  source_code_hash               = filebase64sha256(var.artifact_path)
  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions
  tags                           = var.tags

  ephemeral_storage {
    size = var.ephemeral_storage_mb
  }

  tracing_config {
    mode = "Active"
  }

  dynamic "environment" {
    for_each = length(var.environment_variables) == 0 ? [] : [var.environment_variables]
    content {
      variables = environment.value
    }
  }

  # The log group must exist first so Lambda does not create an unmanaged one without retention.
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.execution]
}

resource "aws_lambda_event_source_mapping" "stream" {
  for_each = var.stream_sources

  function_name                      = aws_lambda_function.this.arn
  event_source_arn                   = each.value.event_source_arn
  starting_position                  = each.value.starting_position
  batch_size                         = each.value.batch_size
  maximum_batching_window_in_seconds = each.value.maximum_batching_window_in_seconds
  parallelization_factor             = each.value.parallelization_factor
  bisect_batch_on_function_error     = each.value.bisect_batch_on_function_error
  maximum_retry_attempts             = each.value.maximum_retry_attempts
  maximum_record_age_in_seconds      = each.value.maximum_record_age_in_seconds
  function_response_types            = ["ReportBatchItemFailures"]
  tags                               = var.tags

  destination_config {
    on_failure {
      destination_arn = each.value.on_failure_destination_arn
    }
  }

  dynamic "filter_criteria" {
    for_each = length(each.value.filter_patterns) == 0 ? [] : [each.value.filter_patterns]
    content {
      dynamic "filter" {
        for_each = filter_criteria.value
        content {
          pattern = filter.value
        }
      }
    }
  }

  # The role must be able to read the stream and send to the failure queue before the mapping is created.
  depends_on = [aws_iam_role_policy.execution]
}

resource "aws_lambda_event_source_mapping" "sqs" {
  for_each = var.sqs_sources

  function_name                      = aws_lambda_function.this.arn
  event_source_arn                   = each.value.queue_arn
  batch_size                         = each.value.batch_size
  maximum_batching_window_in_seconds = each.value.maximum_batching_window_in_seconds
  function_response_types            = ["ReportBatchItemFailures"]
  tags                               = var.tags

  dynamic "scaling_config" {
    for_each = each.value.maximum_concurrency == null ? [] : [each.value.maximum_concurrency]
    content {
      maximum_concurrency = scaling_config.value
    }
  }

  dynamic "filter_criteria" {
    for_each = length(each.value.filter_patterns) == 0 ? [] : [each.value.filter_patterns]
    content {
      dynamic "filter" {
        for_each = filter_criteria.value
        content {
          pattern = filter.value
        }
      }
    }
  }

  lifecycle {
    # AWS's guidance: a message must stay invisible for the whole time Lambda may retry it within a batch window.
    precondition {
      condition     = each.value.queue_visibility_timeout_seconds >= 6 * var.timeout
      error_message = "The queue's visibility timeout must be at least 6x the function timeout (${6 * var.timeout} s for ${var.function_name})."
    }
  }

  depends_on = [aws_iam_role_policy.execution]
}

# A Kinesis mapping that replays whole batches forever and loses what it gives up on; a module call with
# unbounded retries.
resource "aws_lambda_event_source_mapping" "events" {
  function_name     = "fixture"
  event_source_arn  = "arn:aws:kinesis:eu-west-1:123456789012:stream/events"
  starting_position = "TRIM_HORIZON"
  batch_size        = 100
}

module "fn" {
  source = "../../modules/lambda_function"

  stream_sources = {
    events = {
      event_source_arn               = "arn:aws:kinesis:eu-west-1:123456789012:stream/events"
      bisect_batch_on_function_error = false
      maximum_retry_attempts         = -1
      maximum_record_age_in_seconds  = 86400
    }
  }
}

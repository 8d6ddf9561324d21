# The queue hides a message for 60 s but the function may run 30 s six times over; no partial batch responses.
resource "aws_sqs_queue" "ingest" {
  name                       = "ingest"
  visibility_timeout_seconds = 60
  sqs_managed_sse_enabled    = true
}

resource "aws_lambda_function" "fn" {
  function_name = "fixture"
  role          = "arn:aws:iam::123456789012:role/fixture"
  runtime       = "provided.al2023"
  handler       = "bootstrap"
  filename      = "fixture.zip"
  timeout       = 30
}

resource "aws_lambda_event_source_mapping" "ingest" {
  function_name    = aws_lambda_function.fn.arn
  event_source_arn = aws_sqs_queue.ingest.arn
  batch_size       = 10
}

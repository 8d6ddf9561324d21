# A log group kept forever, and a function whose log group Lambda would create without retention.
resource "aws_cloudwatch_log_group" "firehose" {
  name = "/aws/kinesisfirehose/fixture"
}

resource "aws_lambda_function" "fn" {
  function_name = "fixture"
  role          = "arn:aws:iam::123456789012:role/fixture"
  runtime       = "provided.al2023"
  handler       = "bootstrap"
  filename      = "fixture.zip"

  tracing_config {
    mode = "Active"
  }
}

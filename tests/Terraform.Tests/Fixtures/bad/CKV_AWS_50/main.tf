# Tracing PassThrough: no X-Ray segments of its own.
resource "aws_cloudwatch_log_group" "fn" {
  name              = "/aws/lambda/fixture"
  retention_in_days = 30
}

resource "aws_lambda_function" "fn" {
  function_name = "fixture"
  role          = "arn:aws:iam::123456789012:role/fixture"
  runtime       = "provided.al2023"
  handler       = "bootstrap"
  filename      = "fixture.zip"

  tracing_config {
    mode = "PassThrough"
  }
}

# Wildcard and NotAction statements, and an inline jsonencode policy nobody can check.
data "aws_iam_policy_document" "fn" {
  statement {
    actions   = ["s3:*", "dynamodb:PutItem"]
    resources = ["arn:aws:s3:::fixture-data/*"]
  }

  statement {
    not_actions = ["iam:*"]
    resources   = ["arn:aws:s3:::fixture-data"]
  }
}

resource "aws_iam_role_policy" "inline" {
  role = "fixture"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

module "fn" {
  source = "../../modules/lambda_function"

  policy_statements = [{
    sid       = "Everything"
    actions   = ["kinesis:Get*"]
    resources = ["arn:aws:kinesis:eu-west-1:123456789012:stream/events"]
  }]
}

# A data action on every table in the account.
data "aws_iam_policy_document" "fn" {
  statement {
    actions   = ["dynamodb:PutItem"]
    resources = ["*"]
  }
}

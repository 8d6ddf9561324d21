# The seeds' console habit: full access managed policies.
resource "aws_iam_role_policy_attachment" "s3" {
  role       = "fixture"
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
}

resource "aws_iam_role" "admin" {
  name                = "fixture-admin"
  assume_role_policy  = "{}"
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]
}

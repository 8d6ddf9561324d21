# Tunables as plain String parameters: they hold numbers and sizes, never secrets, so no SecureString/KMS is needed.
# Operators change a value in Parameter Store; functions pick it up when their per-container cache expires.
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_ssm_parameter" "this" {
  for_each = var.parameters

  name        = "${var.path}/${each.key}"
  description = "Tunable ${each.key} (defaults from topology/topology.json)."
  type        = "String"
  value       = each.value
  tags        = var.tags
}

# Suite-wide resources the pipelines share: the rejects bucket (topology shared.rejects_bucket) where the
# reviews, orders and counties functions put records that can never succeed, each under its own prefix.
data "aws_caller_identity" "current" {}

locals {
  topology = jsondecode(file(var.topology_path))
  shared   = local.topology.shared
}

module "key" {
  source = "../../modules/kms_key"

  alias                   = "pipelines-shared-${var.environment}"
  description             = "Encrypts the ${var.environment} rejects bucket."
  deletion_window_in_days = var.kms_deletion_window_days
  tags                    = var.tags
}

module "rejects_bucket" {
  source = "../../modules/s3_bucket"

  name          = "${var.name_prefix}-${local.shared.rejects_bucket}-${var.environment}-${data.aws_caller_identity.current.account_id}"
  kms_key_arn   = module.key.arn
  force_destroy = !var.deletion_protection
  tags          = var.tags

  lifecycle_rules = [{
    id              = "expire-rejects"
    prefix          = ""
    expiration_days = var.rejects_retention_days
  }]
}

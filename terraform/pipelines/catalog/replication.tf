# Disaster-recovery replicas of the source and output buckets in the aws.replica region, each encrypted with a key
# of that region. The primary buckets' replication rules (module.buckets) point here.
module "replica_key" {
  source    = "../../modules/kms_key"
  count     = var.replication_enabled ? 1 : 0
  providers = { aws = aws.replica }

  alias                   = "pipelines-catalog-replica-${var.environment}"
  description             = "Encrypts the ${var.environment} catalog bucket replicas."
  deletion_window_in_days = var.kms_deletion_window_days
  tags                    = var.tags
}

module "replica_buckets" {
  source    = "../../modules/s3_bucket"
  for_each  = var.replication_enabled ? local.pipeline.buckets : {}
  providers = { aws = aws.replica }

  name          = substr("${local.bucket_names[each.key]}-dr", 0, 63)
  kms_key_arn   = module.replica_key[0].arn
  force_destroy = !var.deletion_protection
  tags          = var.tags
}

locals {
  default_tags = {
    Project     = "realtime-pipelines"
    Environment = var.environment
    ManagedBy   = "terraform"
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.default_tags
  }
}

# Disaster-recovery region for the catalog buckets' cross-region replicas.
provider "aws" {
  alias  = "replica"
  region = var.replica_region

  default_tags {
    tags = local.default_tags
  }
}

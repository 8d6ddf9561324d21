terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
      # aws.replica: the disaster-recovery region the catalog pipeline replicates its buckets to.
      configuration_aliases = [aws.replica]
    }
  }
}

terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # Partial configuration: scripts/deploy.sh and the Jenkinsfile pass -backend-config=backend.hcl.
  backend "s3" {}
}

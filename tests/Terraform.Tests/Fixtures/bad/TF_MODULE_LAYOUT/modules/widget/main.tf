# A module with only main.tf, an untyped undescribed variable, an old Terraform floor and an unpinned provider.
terraform {
  required_version = ">= 1.3.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 4.0"
    }
  }
}

variable "name" {}

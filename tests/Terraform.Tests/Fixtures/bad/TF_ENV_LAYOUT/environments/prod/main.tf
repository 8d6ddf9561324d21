# Local state, a provider without default tags.
terraform {
  backend "local" {}
}

provider "aws" {
  region = "eu-west-1"
}

# The suite with only main.tf: no variables, outputs, versions or README.
locals {
  environment = "dev"
}

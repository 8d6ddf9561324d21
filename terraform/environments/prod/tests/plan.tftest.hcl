# Plans the whole environment against a mocked AWS provider: no credentials and no API calls, but every
# expression, for_each, variable validation and precondition (e.g. queue visibility >= 6x function timeout) is
# evaluated with this environment's terraform.tfvars and the real topology/topology.json.
# Needs the function zips (scripts/package.sh) or -var artifacts_dir=<dir with the six zips>.
#   terraform init -backend=false && terraform test
mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

mock_provider "aws" {
  alias = "replica"

  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-central-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

run "plan_with_mocked_aws" {
  command = plan

  assert {
    condition     = length(output.functions) == 6
    error_message = "Every function of the topology must be deployed."
  }

  assert {
    condition     = alltrue([for name in values(output.functions) : endswith(name, "-${var.environment}")])
    error_message = "Function names must carry the environment."
  }
}

# S3 state for the staging environment, locked through DynamoDB. Used by scripts/deploy.sh and the Jenkinsfile:
#   terraform init -backend-config=backend.hcl
# The state bucket (versioned, SSE-KMS) and the lock table (partition key LockID, S) are created once per account,
# outside this configuration (see terraform/README.md).
bucket         = "rtp-terraform-state-staging"
key            = "realtime-pipelines/staging/terraform.tfstate"
region         = "eu-west-1"
dynamodb_table = "rtp-terraform-locks"
encrypt        = true

# A local source that does not exist, and a registry module instead of one of ours.
module "missing" {
  source = "./does-not-exist"
}

module "remote" {
  source = "terraform-aws-modules/s3-bucket/aws"
}

# Only one of the five pipelines, and no monitoring.
module "reviews" {
  source = "../../pipelines/reviews"
}

module "reviews" {
  source = "../pipelines/reviews"
}

module "events" {
  source = "../pipelines/events"
}

module "orders" {
  source = "../pipelines/orders"
}

module "counties" {
  source = "../pipelines/counties"
}

module "monitoring" {
  source = "../modules/monitoring"
}

# Composes through the suite, but the suite leaves the catalog pipeline out.
module "suite" {
  source = "../../suite"
}

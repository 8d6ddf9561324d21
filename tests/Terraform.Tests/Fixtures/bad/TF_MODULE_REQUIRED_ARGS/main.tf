# The child module's name variable has no default, and the call does not pass it.
module "queue" {
  source = "./child"
}

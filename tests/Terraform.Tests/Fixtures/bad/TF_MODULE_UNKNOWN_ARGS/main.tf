# colour is not a variable of the child module.
module "queue" {
  source = "./child"
  name   = "orders"
  colour = "blue"
}

# The child has no output "url", and there is no module "ghost" at all.
module "child" {
  source = "./child"
}

output "url" {
  value = module.child.url
}

output "ghost" {
  value = module.ghost.arn
}

# State moves into the child module, but one target is misspelt and another names a resource the child does not
# have: terraform validate accepts both, and apply would destroy and recreate those objects.
module "child" {
  source = "./child"
}

moved {
  from = module.queue
  to   = module.child.module.queues
}

moved {
  from = aws_sqs_queue.dead_letter
  to   = module.child.aws_sqs_queue.dlq
}

moved {
  from = module.bucket
  to   = module.chlid.module.bucket
}

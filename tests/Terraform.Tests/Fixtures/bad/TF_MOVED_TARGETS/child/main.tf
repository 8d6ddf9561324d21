module "queue" {
  source = "./queue"
}

resource "aws_sqs_queue" "dead_letter" {
  name = "work-dlq"
}

# var.queue_name is used but never declared.
resource "aws_sqs_queue" "orders" {
  name = "${var.queue_name}-dev"
}

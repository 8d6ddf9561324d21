# A work queue without a redrive policy, and a terminal queue that nothing sends failures to.
resource "aws_sqs_queue" "ingest" {
  name                    = "ingest"
  sqs_managed_sse_enabled = true
}

module "failures" {
  source               = "../../modules/sqs_queue"
  name                 = "failures"
  is_dead_letter_queue = true
}

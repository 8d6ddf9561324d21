# Encryption explicitly off.
resource "aws_sqs_queue" "ingest" {
  name                    = "ingest"
  sqs_managed_sse_enabled = false
}

# An alarm topic without encryption.
resource "aws_sns_topic" "alarms" {
  name = "alarms"
}

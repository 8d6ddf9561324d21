output "topic_arn" {
  description = "Alarm topic ARN."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_names" {
  description = "Alarm names by key."
  value       = { for k, a in aws_cloudwatch_metric_alarm.this : k => a.alarm_name }
}

output "dashboard_name" {
  description = "Dashboard name."
  value       = aws_cloudwatch_dashboard.suite.dashboard_name
}

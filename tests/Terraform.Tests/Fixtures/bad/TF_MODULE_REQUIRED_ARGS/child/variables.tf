variable "name" {
  description = "Queue name."
  type        = string
}

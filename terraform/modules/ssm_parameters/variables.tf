variable "path" {
  description = "Parameter path without a trailing slash: <ssm_prefix>/<env>/<function>. Functions read it with GetParametersByPath."
  type        = string

  validation {
    condition     = can(regex("^(/[a-zA-Z0-9_.-]+)+$", var.path))
    error_message = "path must start with '/', use letters, digits, '_', '.', '-' in its segments and not end with '/'."
  }
}

variable "parameters" {
  description = "Tunables by key: each becomes a String parameter <path>/<key>."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.parameters) : can(regex("^[a-zA-Z0-9_.-]+$", k))])
    error_message = "parameter keys must be letters, digits, '_', '.' or '-'."
  }
}

variable "tags" {
  description = "Tags added to the parameters."
  type        = map(string)
  default     = {}
}

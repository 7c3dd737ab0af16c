variable "name" {
  description = "Prefix of the secret names, e.g. tributary-prod (secrets: <name>/postgres-url, ...)."
  type        = string
}

variable "postgres_url" {
  description = "Metadata database URL with credentials (module postgres, output url)."
  type        = string
  sensitive   = true
}

variable "redis_url" {
  description = "Job queue URL with the auth token (module redis, output url)."
  type        = string
  sensitive   = true
}

variable "recovery_window_days" {
  description = "Days a deleted secret can be restored (0 deletes at once: dev only)."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

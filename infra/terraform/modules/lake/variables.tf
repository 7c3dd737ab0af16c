variable "bucket_name" {
  description = "Globally unique name of the lake bucket, e.g. tributary-prod-lake-123456789012."
  type        = string
}

variable "raw_prefix" {
  description = "Key prefix of the master dataset's data files (the raw event partitions)."
  type        = string
  default     = "warehouse/events/data/"
}

variable "infrequent_access_after_days" {
  description = "Age in days at which raw partitions move to S3 Standard-IA (at least 30)."
  type        = number
  default     = 30
}

variable "glacier_after_days" {
  description = "Age in days at which raw partitions move to S3 Glacier Instant Retrieval."
  type        = number
  default     = 180
}

variable "noncurrent_version_retention_days" {
  description = "Days a replaced or deleted object version is kept before it is deleted."
  type        = number
  default     = 30
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to delete a non-empty bucket: dev only."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "name" {
  description = "Instance identifier and prefix, e.g. tributary-prod."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the DB subnet group (two zones at least)."
  type        = list(string)
}

variable "client_security_group_id" {
  description = "Security group of the clients (the workloads); the only source admitted."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL major (or major.minor) version."
  type        = string
  default     = "17"
}

variable "instance_class" {
  description = "RDS instance class, e.g. db.t4g.medium (dev) or db.r7g.large (prod)."
  type        = string
}

variable "allocated_storage_gb" {
  description = "Initial storage in GiB."
  type        = number
  default     = 50
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling in GiB."
  type        = number
  default     = 500
}

variable "database" {
  description = "Name of the metadata database."
  type        = string
  default     = "tributary"
}

variable "username" {
  description = "Master user name (the services use it; see docs/operations.md for a least-privilege role)."
  type        = string
  default     = "tributary"
}

variable "multi_az" {
  description = "Synchronous standby in a second zone (staging and prod)."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days of automated backups and point-in-time recovery (1-35)."
  type        = number
  default     = 14
}

variable "deletion_protection" {
  description = "Refuse deletion and take a final snapshot (off only in dev)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

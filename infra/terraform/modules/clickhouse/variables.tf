variable "name" {
  description = "Prefix for every resource, e.g. tributary-prod."
  type        = string
}

variable "region" {
  description = "AWS region, for the Secrets Manager call at boot."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the instance."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet of the instance (its zone is the data volume's zone)."
  type        = string
}

variable "client_security_group_id" {
  description = "Security group of the clients (the workloads); the only source admitted."
  type        = string
}

variable "instance_type" {
  description = "EC2 instance type (Graviton), e.g. m7g.xlarge; ClickHouse wants memory for merges."
  type        = string
  default     = "m7g.xlarge"
}

variable "clickhouse_version" {
  description = "Exact clickhouse-server package version, e.g. 26.7.2.1 (match the chDB engine the code is tested with)."
  type        = string
}

variable "data_volume_size_gb" {
  description = "Size of the gp3 data volume in GiB."
  type        = number
  default     = 500
}

variable "data_volume_iops" {
  description = "Provisioned IOPS of the data volume (gp3: 3000 included)."
  type        = number
  default     = 3000
}

variable "data_volume_throughput" {
  description = "Provisioned throughput of the data volume in MiB/s (gp3: 125 included)."
  type        = number
  default     = 250
}

variable "snapshot_retention_days" {
  description = "Daily EBS snapshots of the data volume to keep."
  type        = number
  default     = 7
}

variable "password_secret_arn" {
  description = "Secrets Manager secret holding the default user's password."
  type        = string
}

variable "secrets_kms_key_arn" {
  description = "KMS key that encrypts the password secret."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

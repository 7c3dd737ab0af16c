# Inputs of the prod environment; their values are in terraform.tfvars.
variable "name" {
  description = "Prefix of every resource, e.g. tributary-prod."
  type        = string
}

variable "environment" {
  description = "Environment name (dev, staging, prod); also TRIBUTARY_ENVIRONMENT in the overlay."
  type        = string
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 range of the VPC."
  type        = string
}

variable "az_count" {
  description = "Availability zones used (2 or 3)."
  type        = number
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per zone (dev)."
  type        = bool
}

variable "allow_destroy" {
  description = "Let `terraform destroy` remove data (non-empty lake, no final DB snapshot, secrets at once): dev only."
  type        = bool
}

variable "lake_bucket_name" {
  description = "Globally unique lake bucket name."
  type        = string
}

variable "lake_infrequent_access_after_days" {
  description = "Days after which raw lake partitions move to Standard-IA."
  type        = number
}

variable "lake_glacier_after_days" {
  description = "Days after which raw lake partitions move to Glacier Instant Retrieval."
  type        = number
}

variable "lake_noncurrent_version_retention_days" {
  description = "Days replaced lake object versions are kept (point-in-time recovery window)."
  type        = number
}

variable "kafka_broker_count" {
  description = "MSK brokers (a multiple of az_count)."
  type        = number
}

variable "kafka_instance_type" {
  description = "MSK broker instance type."
  type        = string
}

variable "kafka_volume_size_gb" {
  description = "EBS storage per broker in GiB."
  type        = number
}

variable "postgres_instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "postgres_multi_az" {
  description = "RDS standby in a second zone."
  type        = bool
}

variable "postgres_backup_retention_days" {
  description = "RDS automated backup retention (point-in-time recovery window)."
  type        = number
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
}

variable "redis_replicas" {
  description = "ElastiCache replicas (0: no failover)."
  type        = number
}

variable "clickhouse_instance_type" {
  description = "EC2 instance type of the ClickHouse server."
  type        = string
}

variable "clickhouse_version" {
  description = "clickhouse-server package version."
  type        = string
}

variable "clickhouse_volume_size_gb" {
  description = "ClickHouse data volume size in GiB."
  type        = number
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
}

variable "kubernetes_api_allowed_cidrs" {
  description = "CIDRs that may reach the Kubernetes API from outside the VPC; empty means private only."
  type        = list(string)
}

variable "kubernetes_namespace" {
  description = "Namespace of the services (the overlay's namespace)."
  type        = string
}

variable "nodes_min" {
  description = "Minimum on-demand nodes."
  type        = number
}

variable "nodes_max" {
  description = "Maximum on-demand nodes."
  type        = number
}

variable "batch_nodes_max" {
  description = "Maximum spot nodes for the batch layer."
  type        = number
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
}

variable "name" {
  description = "Cluster name and prefix, e.g. tributary-prod."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the brokers."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the brokers, one per zone; broker_count must be a multiple of their number."
  type        = list(string)
}

variable "client_security_group_id" {
  description = "Security group of the clients (the workloads); the only source admitted."
  type        = string
}

variable "kafka_version" {
  description = "MSK Kafka version; 3.9.x keeps the JoinGroup versions kafkajs 2.2.4 uses."
  type        = string
  default     = "3.9.x"
}

variable "broker_count" {
  description = "Number of brokers (3 for replication factor 3 with min.insync.replicas 2)."
  type        = number
  default     = 3
}

variable "instance_type" {
  description = "Broker instance type, e.g. kafka.m7g.large."
  type        = string
  default     = "kafka.m7g.large"
}

variable "volume_size_gb" {
  description = "EBS storage per broker in GiB."
  type        = number
  default     = 500
}

variable "default_partitions" {
  description = "Partitions of topics created without an explicit count (the event topics set theirs)."
  type        = number
  default     = 12
}

variable "retention_hours" {
  description = "Log retention; the lake keeps events forever, Kafka only long enough to replay."
  type        = number
  default     = 168
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "name" {
  description = "Cluster name and prefix, e.g. tributary-prod."
  type        = string
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.33"
}

variable "private_subnet_ids" {
  description = "Private subnets for the control plane's network interfaces and the nodes."
  type        = list(string)
}

variable "workloads_security_group_id" {
  description = "Security group every node joins; the data stores admit only this group."
  type        = string
}

variable "public_access_cidrs" {
  description = "CIDRs allowed to reach the Kubernetes API from outside the VPC (e.g. the office VPN); empty keeps the endpoint private."
  type        = list(string)
  default     = []
}

variable "namespace" {
  description = "Kubernetes namespace of the services (infra/k8s overlay), for the IRSA trust policies."
  type        = string
  default     = "tributary"
}

variable "general_instance_types" {
  description = "Instance types of the on-demand node group (Graviton)."
  type        = list(string)
  default     = ["m7g.large"]
}

variable "general_min_size" {
  description = "Minimum nodes of the on-demand group (one per zone for zone spreading)."
  type        = number
  default     = 3
}

variable "general_max_size" {
  description = "Maximum nodes of the on-demand group."
  type        = number
  default     = 12
}

variable "batch_instance_types" {
  description = "Instance types of the spot group; several types make interruptions rarer."
  type        = list(string)
  default     = ["m7g.xlarge", "m6g.xlarge", "r7g.large"]
}

variable "batch_max_size" {
  description = "Maximum nodes of the spot group."
  type        = number
  default     = 3
}

variable "image_repository" {
  description = "ECR repository name for the Tributary image."
  type        = string
  default     = "tributary"
}

variable "lake_bucket_arn" {
  description = "Lake bucket the batch layer reads and writes (module lake)."
  type        = string
}

variable "lake_kms_key_arn" {
  description = "KMS key of the lake bucket (module lake)."
  type        = string
}

variable "secret_arns" {
  description = "Secrets External Secrets may read (module secrets, output secret_arns values)."
  type        = list(string)
}

variable "secrets_kms_key_arn" {
  description = "KMS key of those secrets (module secrets)."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

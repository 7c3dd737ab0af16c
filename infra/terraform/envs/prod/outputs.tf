output "kafka_bootstrap_brokers" {
  description = "TRIBUTARY_KAFKA_BROKERS for the overlay's ConfigMap."
  value       = module.tributary.kafka_bootstrap_brokers
}

output "clickhouse_url" {
  description = "TRIBUTARY_CLICKHOUSE_URL for the overlay's ConfigMap."
  value       = module.tributary.clickhouse_url
}

output "lake_bucket_name" {
  description = "The lake bucket."
  value       = module.tributary.lake_bucket_name
}

output "secret_arns" {
  description = "Secrets Manager ARNs by key of the Kubernetes Secret tributary-secrets."
  value       = module.tributary.secret_arns
}

output "cluster_name" {
  description = "EKS cluster name."
  value       = module.tributary.cluster_name
}

output "image_repository_url" {
  description = "ECR repository for the Tributary image."
  value       = module.tributary.image_repository_url
}

output "batch_layer_role_arn" {
  description = "IAM role for the batch-layer service account."
  value       = module.tributary.batch_layer_role_arn
}

output "external_secrets_role_arn" {
  description = "IAM role for the External Secrets Operator."
  value       = module.tributary.external_secrets_role_arn
}

output "secret_arns" {
  description = "ARN of each secret by its key in the Kubernetes Secret tributary-secrets."
  value = {
    "postgres-url"        = aws_secretsmanager_secret.postgres_url.arn
    "redis-url"           = aws_secretsmanager_secret.redis_url.arn
    "clickhouse-password" = aws_secretsmanager_secret.clickhouse_password.arn
  }
}

output "clickhouse_password_secret_arn" {
  description = "Secret with the ClickHouse default user's password (read by the ClickHouse host)."
  value       = aws_secretsmanager_secret.clickhouse_password.arn
}

output "kms_key_arn" {
  description = "KMS key of the secrets; readers need kms:Decrypt on it."
  value       = aws_kms_key.secrets.arn
}

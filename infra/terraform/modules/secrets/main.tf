# Secrets Manager entries the services read (synced into the Kubernetes Secret
# `tributary-secrets` by External Secrets, see docs/operations.md), encrypted with their own KMS
# key. Keys match the Secret's keys: postgres-url, redis-url, clickhouse-password.
resource "aws_kms_key" "secrets" {
  description         = "${var.name} service secrets"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.name}-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

resource "random_password" "clickhouse" {
  length  = 40
  special = false
}

resource "aws_secretsmanager_secret" "postgres_url" {
  name                    = "${var.name}/postgres-url"
  description             = "TRIBUTARY_POSTGRES_URL (postgres:// with credentials)"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "postgres_url" {
  secret_id     = aws_secretsmanager_secret.postgres_url.id
  secret_string = var.postgres_url
}

resource "aws_secretsmanager_secret" "redis_url" {
  name                    = "${var.name}/redis-url"
  description             = "TRIBUTARY_REDIS_URL (rediss:// with the auth token)"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "redis_url" {
  secret_id     = aws_secretsmanager_secret.redis_url.id
  secret_string = var.redis_url
}

resource "aws_secretsmanager_secret" "clickhouse_password" {
  name                    = "${var.name}/clickhouse-password"
  description             = "TRIBUTARY_CLICKHOUSE_PASSWORD (ClickHouse default user)"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = var.recovery_window_days
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "clickhouse_password" {
  secret_id     = aws_secretsmanager_secret.clickhouse_password.id
  secret_string = random_password.clickhouse.result
}

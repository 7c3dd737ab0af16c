output "url" {
  description = "postgres:// URL with credentials and sslmode=require, for TRIBUTARY_POSTGRES_URL."
  value       = "postgres://${var.username}:${random_password.master.result}@${aws_db_instance.this.endpoint}/${var.database}?sslmode=require"
  sensitive   = true
}

output "endpoint" {
  description = "host:port of the instance."
  value       = aws_db_instance.this.endpoint
}

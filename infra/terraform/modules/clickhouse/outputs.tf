output "url" {
  description = "HTTP interface, for TRIBUTARY_CLICKHOUSE_URL."
  value       = "http://${aws_instance.clickhouse.private_ip}:8123"
}

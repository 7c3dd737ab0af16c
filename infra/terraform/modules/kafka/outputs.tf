output "bootstrap_brokers" {
  description = "Plaintext bootstrap brokers (host:port,...) for TRIBUTARY_KAFKA_BROKERS."
  value       = aws_msk_cluster.this.bootstrap_brokers
}

output "bootstrap_brokers_tls" {
  description = "TLS bootstrap brokers, for clients that support TLS."
  value       = aws_msk_cluster.this.bootstrap_brokers_tls
}

output "cluster_arn" {
  description = "ARN of the MSK cluster."
  value       = aws_msk_cluster.this.arn
}

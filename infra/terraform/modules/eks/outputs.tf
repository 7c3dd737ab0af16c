output "cluster_name" {
  description = "EKS cluster name, for `aws eks update-kubeconfig`."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "image_repository_url" {
  description = "ECR repository URL; the prod overlay's images.newName."
  value       = aws_ecr_repository.tributary.repository_url
}

output "batch_layer_role_arn" {
  description = "IAM role for the batch-layer service account (eks.amazonaws.com/role-arn)."
  value       = aws_iam_role.batch_layer.arn
}

output "external_secrets_role_arn" {
  description = "IAM role for the External Secrets Operator's service account."
  value       = aws_iam_role.external_secrets.arn
}

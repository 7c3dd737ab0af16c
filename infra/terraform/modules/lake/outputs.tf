output "bucket_name" {
  description = "Name of the lake bucket."
  value       = aws_s3_bucket.lake.bucket
}

output "bucket_arn" {
  description = "ARN of the lake bucket, for IAM policies."
  value       = aws_s3_bucket.lake.arn
}

output "kms_key_arn" {
  description = "KMS key that encrypts the lake; readers and writers need kms:Decrypt on it."
  value       = aws_kms_key.lake.arn
}

# The bucket that holds Terraform state for every environment (run once per AWS account, with
# local state; then each envs/<env>/backend.hcl points at it). Locking uses S3 itself
# (use_lockfile, Terraform >= 1.10), so there is no DynamoDB table.
#   terraform -chdir=infra/terraform/remote-state init && terraform -chdir=infra/terraform/remote-state apply
terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = var.region
}

resource "aws_s3_bucket" "state" {
  bucket = var.bucket_name
  tags   = { Project = "tributary", Purpose = "terraform-state" }
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

# Old state versions are the way back from a bad apply: keep them 90 days.
resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket     = aws_s3_bucket.state.id
  depends_on = [aws_s3_bucket_versioning.state]
  rule {
    id     = "expire-old-state-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 90
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

variable "bucket_name" {
  description = "Globally unique name of the state bucket, e.g. tributary-terraform-state-<account id>."
  type        = string
}

variable "region" {
  description = "AWS region of the state bucket."
  type        = string
}

output "bucket_name" {
  description = "Put this in each envs/<env>/backend.hcl as `bucket`."
  value       = aws_s3_bucket.state.bucket
}

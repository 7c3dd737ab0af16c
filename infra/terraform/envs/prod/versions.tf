terraform {
  required_version = ">= 1.10"
  # Remote state in S3 with S3-native locking; the values are in backend.hcl (an example per
  # environment, see infra/terraform/remote-state for the bucket itself).
  backend "s3" {}
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
}

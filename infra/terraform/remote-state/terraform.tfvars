# Example values: use your account id.
bucket_name = "tributary-terraform-state-123456789012"
region      = "eu-west-1"

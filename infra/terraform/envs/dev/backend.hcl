# Remote-state settings for `terraform init -backend-config=backend.hcl` (an example: use the
# bucket that infra/terraform/remote-state created in your account).
bucket       = "tributary-terraform-state-123456789012"
key          = "tributary/dev/terraform.tfstate"
region       = "eu-west-1"
encrypt      = true
use_lockfile = true

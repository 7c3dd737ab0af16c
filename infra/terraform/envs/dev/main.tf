# The dev environment: the whole stack from modules/tributary with this environment's sizes.
#   terraform -chdir=infra/terraform/envs/dev init -backend-config=backend.hcl
#   terraform -chdir=infra/terraform/envs/dev plan -out=tfplan
provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Project     = "tributary"
      Environment = var.environment
    }
  }
}

module "tributary" {
  source = "../../modules/tributary"

  name                                   = var.name
  environment                            = var.environment
  region                                 = var.region
  vpc_cidr                               = var.vpc_cidr
  az_count                               = var.az_count
  single_nat_gateway                     = var.single_nat_gateway
  allow_destroy                          = var.allow_destroy
  lake_bucket_name                       = var.lake_bucket_name
  lake_infrequent_access_after_days      = var.lake_infrequent_access_after_days
  lake_glacier_after_days                = var.lake_glacier_after_days
  lake_noncurrent_version_retention_days = var.lake_noncurrent_version_retention_days
  kafka_broker_count                     = var.kafka_broker_count
  kafka_instance_type                    = var.kafka_instance_type
  kafka_volume_size_gb                   = var.kafka_volume_size_gb
  postgres_instance_class                = var.postgres_instance_class
  postgres_multi_az                      = var.postgres_multi_az
  postgres_backup_retention_days         = var.postgres_backup_retention_days
  redis_node_type                        = var.redis_node_type
  redis_replicas                         = var.redis_replicas
  clickhouse_instance_type               = var.clickhouse_instance_type
  clickhouse_version                     = var.clickhouse_version
  clickhouse_volume_size_gb              = var.clickhouse_volume_size_gb
  kubernetes_version                     = var.kubernetes_version
  kubernetes_api_allowed_cidrs           = var.kubernetes_api_allowed_cidrs
  kubernetes_namespace                   = var.kubernetes_namespace
  nodes_min                              = var.nodes_min
  nodes_max                              = var.nodes_max
  batch_nodes_max                        = var.batch_nodes_max
  tags                                   = var.tags
}

# One Tributary environment on AWS: network, lake, Kafka (MSK), Postgres (RDS), Redis
# (ElastiCache), ClickHouse (EC2 + EBS), secrets and the EKS cluster the services run on.
# envs/<env> call this module with their sizes; the services themselves are deployed with
# infra/k8s/overlays/<env>.
locals {
  tags = merge(var.tags, {
    Project     = "tributary"
    Environment = var.environment
    ManagedBy   = "terraform"
  })
}

module "network" {
  source             = "../network"
  name               = var.name
  region             = var.region
  cidr_block         = var.vpc_cidr
  az_count           = var.az_count
  single_nat_gateway = var.single_nat_gateway
  tags               = local.tags
}

module "lake" {
  source                            = "../lake"
  bucket_name                       = var.lake_bucket_name
  infrequent_access_after_days      = var.lake_infrequent_access_after_days
  glacier_after_days                = var.lake_glacier_after_days
  noncurrent_version_retention_days = var.lake_noncurrent_version_retention_days
  force_destroy                     = var.allow_destroy
  tags                              = local.tags
}

module "kafka" {
  source                   = "../kafka"
  name                     = var.name
  vpc_id                   = module.network.vpc_id
  subnet_ids               = module.network.private_subnet_ids
  client_security_group_id = module.network.workloads_security_group_id
  broker_count             = var.kafka_broker_count
  instance_type            = var.kafka_instance_type
  volume_size_gb           = var.kafka_volume_size_gb
  tags                     = local.tags
}

module "postgres" {
  source                   = "../postgres"
  name                     = var.name
  vpc_id                   = module.network.vpc_id
  subnet_ids               = module.network.private_subnet_ids
  client_security_group_id = module.network.workloads_security_group_id
  instance_class           = var.postgres_instance_class
  multi_az                 = var.postgres_multi_az
  backup_retention_days    = var.postgres_backup_retention_days
  deletion_protection      = !var.allow_destroy
  tags                     = local.tags
}

module "redis" {
  source                   = "../redis"
  name                     = var.name
  vpc_id                   = module.network.vpc_id
  subnet_ids               = module.network.private_subnet_ids
  client_security_group_id = module.network.workloads_security_group_id
  node_type                = var.redis_node_type
  replicas                 = var.redis_replicas
  tags                     = local.tags
}

module "secrets" {
  source               = "../secrets"
  name                 = var.name
  postgres_url         = module.postgres.url
  redis_url            = module.redis.url
  recovery_window_days = var.allow_destroy ? 0 : 30
  tags                 = local.tags
}

module "clickhouse" {
  source                   = "../clickhouse"
  name                     = var.name
  region                   = var.region
  vpc_id                   = module.network.vpc_id
  subnet_id                = module.network.private_subnet_ids[0]
  client_security_group_id = module.network.workloads_security_group_id
  instance_type            = var.clickhouse_instance_type
  clickhouse_version       = var.clickhouse_version
  data_volume_size_gb      = var.clickhouse_volume_size_gb
  password_secret_arn      = module.secrets.clickhouse_password_secret_arn
  secrets_kms_key_arn      = module.secrets.kms_key_arn
  tags                     = local.tags
}

module "eks" {
  source                      = "../eks"
  name                        = var.name
  kubernetes_version          = var.kubernetes_version
  private_subnet_ids          = module.network.private_subnet_ids
  workloads_security_group_id = module.network.workloads_security_group_id
  public_access_cidrs         = var.kubernetes_api_allowed_cidrs
  namespace                   = var.kubernetes_namespace
  general_min_size            = var.nodes_min
  general_max_size            = var.nodes_max
  batch_max_size              = var.batch_nodes_max
  lake_bucket_arn             = module.lake.bucket_arn
  lake_kms_key_arn            = module.lake.kms_key_arn
  secret_arns                 = values(module.secrets.secret_arns)
  secrets_kms_key_arn         = module.secrets.kms_key_arn
  tags                        = local.tags
}

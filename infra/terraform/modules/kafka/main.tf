# Amazon MSK (provisioned, KRaft) for tributary.events.v1 and tributary.events.dlq.v1.
# Kafka 3.9: kafkajs 2.2.4 joins groups with JoinGroup v0/v1, which Kafka 4.0.0 removed.
# Clients connect in plaintext inside the VPC (port 9092) because libs/messaging has no TLS
# setting yet; brokers already accept TLS (9094) for when it has. Topics are created by the
# bootstrap job (docs/operations.md), not here: auto-creation is off.
resource "aws_kms_key" "kafka" {
  description         = "${var.name} MSK encryption at rest"
  enable_key_rotation = true
  tags                = var.tags
}

resource "aws_security_group" "kafka" {
  name        = "${var.name}-kafka"
  description = "MSK brokers: reachable from the Tributary workloads only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-kafka" })
}

resource "aws_vpc_security_group_ingress_rule" "kafka_plaintext" {
  security_group_id            = aws_security_group.kafka.id
  referenced_security_group_id = var.client_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 9092
  to_port                      = 9092
  description                  = "Kafka plaintext from the workloads"
}

resource "aws_vpc_security_group_ingress_rule" "kafka_tls" {
  security_group_id            = aws_security_group.kafka.id
  referenced_security_group_id = var.client_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 9094
  to_port                      = 9094
  description                  = "Kafka TLS from the workloads"
}

resource "aws_msk_configuration" "this" {
  name           = "${var.name}-kafka"
  kafka_versions = [var.kafka_version]
  server_properties = join("\n", [
    "auto.create.topics.enable=false",
    "default.replication.factor=${var.broker_count >= 3 ? 3 : var.broker_count}",
    "min.insync.replicas=${var.broker_count >= 3 ? 2 : 1}",
    "num.partitions=${var.default_partitions}",
    "log.retention.hours=${var.retention_hours}",
    "unclean.leader.election.enable=false",
  ])
}

resource "aws_cloudwatch_log_group" "kafka" {
  name              = "/tributary/${var.name}/msk"
  retention_in_days = 30
  tags              = var.tags
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.broker_count

  broker_node_group_info {
    instance_type   = var.instance_type
    client_subnets  = var.subnet_ids
    security_groups = [aws_security_group.kafka.id]
    storage_info {
      ebs_storage_info {
        volume_size = var.volume_size_gb
      }
    }
    connectivity_info {
      public_access {
        type = "DISABLED"
      }
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = aws_kms_key.kafka.arn
    encryption_in_transit {
      client_broker = "TLS_PLAINTEXT"
      in_cluster    = true
    }
  }

  # Consumer lag per group (SumOffsetLag, MaxOffsetLag) lands in CloudWatch as well.
  enhanced_monitoring = "PER_TOPIC_PER_PARTITION"

  open_monitoring {
    prometheus {
      jmx_exporter {
        enabled_in_broker = true
      }
      node_exporter {
        enabled_in_broker = true
      }
    }
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.kafka.name
      }
    }
  }

  tags = var.tags
}

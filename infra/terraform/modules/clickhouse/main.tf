# ClickHouse server on EC2 with a separate encrypted EBS data volume (the real-time views and the
# serving copies of batch views). Single node; docs/operations.md describes the cluster path
# (Replicated engines) and ClickHouse Cloud as the managed alternative. No public address; the
# default user's password comes from Secrets Manager at boot (the instance role reads that one
# secret only), never from user data.
data "aws_ssm_parameter" "ubuntu" {
  name = "/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id"
}

data "aws_subnet" "selected" {
  id = var.subnet_id
}

resource "aws_security_group" "clickhouse" {
  name        = "${var.name}-clickhouse"
  description = "ClickHouse HTTP: reachable from the Tributary workloads only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-clickhouse" })
}

resource "aws_vpc_security_group_ingress_rule" "clickhouse_http" {
  security_group_id            = aws_security_group.clickhouse.id
  referenced_security_group_id = var.client_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 8123
  to_port                      = 8123
  description                  = "ClickHouse HTTP from the workloads"
}

resource "aws_vpc_security_group_egress_rule" "clickhouse_all" {
  security_group_id = aws_security_group.clickhouse.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
  description       = "Packages, Secrets Manager, S3 (lake reads), SSM"
}

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "clickhouse" {
  statement {
    sid       = "ReadOwnPassword"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.password_secret_arn]
  }
  statement {
    sid       = "DecryptOwnPassword"
    actions   = ["kms:Decrypt"]
    resources = [var.secrets_kms_key_arn]
  }
}

resource "aws_iam_role" "clickhouse" {
  name               = "${var.name}-clickhouse"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "clickhouse" {
  name   = "read-password"
  role   = aws_iam_role.clickhouse.id
  policy = data.aws_iam_policy_document.clickhouse.json
}

# Shell access through SSM Session Manager instead of SSH: no inbound port 22 at all.
resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.clickhouse.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "clickhouse" {
  name = "${var.name}-clickhouse"
  role = aws_iam_role.clickhouse.name
}

resource "aws_instance" "clickhouse" {
  ami                         = data.aws_ssm_parameter.ubuntu.value
  instance_type               = var.instance_type
  subnet_id                   = var.subnet_id
  vpc_security_group_ids      = [aws_security_group.clickhouse.id]
  iam_instance_profile        = aws_iam_instance_profile.clickhouse.name
  associate_public_ip_address = false
  user_data = templatefile("${path.module}/templates/user-data.sh.tftpl", {
    clickhouse_version  = var.clickhouse_version
    password_secret_arn = var.password_secret_arn
    region              = var.region
  })
  user_data_replace_on_change = false

  metadata_options {
    http_tokens   = "required"
    http_endpoint = "enabled"
  }

  root_block_device {
    volume_type = "gp3"
    volume_size = 30
    encrypted   = true
  }

  tags = merge(var.tags, { Name = "${var.name}-clickhouse" })

  lifecycle {
    ignore_changes = [ami]
  }
}

resource "aws_ebs_volume" "data" {
  availability_zone = data.aws_subnet.selected.availability_zone
  size              = var.data_volume_size_gb
  type              = "gp3"
  iops              = var.data_volume_iops
  throughput        = var.data_volume_throughput
  encrypted         = true
  tags              = merge(var.tags, { Name = "${var.name}-clickhouse-data", Backup = "daily" })
}

resource "aws_volume_attachment" "data" {
  device_name = "/dev/sdf"
  volume_id   = aws_ebs_volume.data.id
  instance_id = aws_instance.clickhouse.id
}

# Daily snapshots of the data volume (kept `snapshot_retention_days`).
data "aws_iam_policy_document" "assume_dlm" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["dlm.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "dlm" {
  name               = "${var.name}-clickhouse-snapshots"
  assume_role_policy = data.aws_iam_policy_document.assume_dlm.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "dlm" {
  role       = aws_iam_role.dlm.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole"
}

resource "aws_dlm_lifecycle_policy" "data" {
  description        = "${var.name} ClickHouse data volume snapshots"
  execution_role_arn = aws_iam_role.dlm.arn
  state              = "ENABLED"

  policy_details {
    resource_types = ["VOLUME"]
    target_tags = {
      Name = "${var.name}-clickhouse-data"
    }
    schedule {
      name = "daily"
      create_rule {
        interval      = 24
        interval_unit = "HOURS"
        times         = ["01:30"]
      }
      retain_rule {
        count = var.snapshot_retention_days
      }
      copy_tags = true
    }
  }
  tags = var.tags
}

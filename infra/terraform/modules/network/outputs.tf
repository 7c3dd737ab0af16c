output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "Private subnets, one per zone: data stores and EKS nodes."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  description = "Public subnets, one per zone: internet-facing load balancers and NAT."
  value       = aws_subnet.public[*].id
}

output "workloads_security_group_id" {
  description = "Security group of the services; data stores admit only this group."
  value       = aws_security_group.workloads.id
}

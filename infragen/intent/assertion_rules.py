"""Which Terraform arguments carry a component option, and which references a component implies.

Data, not code: the completeness gate turns these into assertions for the planner's Plan.
An argument rule reads "option X of component K must appear as argument A of one resource of
type T" (the first type present wins, so Aurora and RDS can share an option name).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ArgumentRule:
    kind: str
    option: str
    types: tuple[str, ...]
    argument: str


@dataclass(frozen=True)
class ReferenceRule:
    kind: str
    source: str
    target: str
    why: str


ARGUMENT_RULES: tuple[ArgumentRule, ...] = (
    ArgumentRule("rds", "engine", ("aws_db_instance",), "engine"),
    ArgumentRule("rds", "instance_class", ("aws_db_instance",), "instance_class"),
    ArgumentRule("rds", "multi_az", ("aws_db_instance",), "multi_az"),
    ArgumentRule("rds", "storage_gb", ("aws_db_instance",), "allocated_storage"),
    ArgumentRule("rds", "encrypted", ("aws_db_instance",), "storage_encrypted"),
    ArgumentRule("aurora", "engine", ("aws_rds_cluster",), "engine"),
    ArgumentRule("aurora", "instance_class", ("aws_rds_cluster_instance",), "instance_class"),
    ArgumentRule("aurora", "encrypted", ("aws_rds_cluster",), "storage_encrypted"),
    ArgumentRule("ec2", "instance_type", ("aws_instance", "aws_launch_template"), "instance_type"),
    ArgumentRule("asg", "instance_type", ("aws_launch_template", "aws_instance"), "instance_type"),
    ArgumentRule("bastion", "instance_type", ("aws_instance",), "instance_type"),
    ArgumentRule(
        "elasticache",
        "node_type",
        ("aws_elasticache_replication_group", "aws_elasticache_cluster"),
        "node_type",
    ),  # fmt: skip
    ArgumentRule("vpc", "cidr", ("aws_vpc",), "cidr_block"),
    ArgumentRule("vpc", "cidr_block", ("aws_vpc",), "cidr_block"),
    ArgumentRule("lambda", "runtime", ("aws_lambda_function",), "runtime"),
    ArgumentRule("route53", "domain", ("aws_route53_zone",), "name"),
    ArgumentRule("alb", "internal", ("aws_lb", "aws_alb"), "internal"),
    ArgumentRule("dynamodb", "billing_mode", ("aws_dynamodb_table",), "billing_mode"),
    ArgumentRule("sqs", "fifo", ("aws_sqs_queue",), "fifo_queue"),
)

REFERENCE_RULES: tuple[ReferenceRule, ...] = (
    ReferenceRule(
        "rds", "aws_db_instance", "aws_db_subnet_group", "the database lives in the VPC's subnets"
    ),
    ReferenceRule(
        "rds", "aws_db_instance", "aws_security_group", "the database has its own security group"
    ),
    ReferenceRule(
        "aurora", "aws_rds_cluster_instance", "aws_rds_cluster", "instances join the cluster"
    ),
    ReferenceRule(
        "aurora", "aws_rds_cluster", "aws_db_subnet_group", "the cluster lives in the VPC's subnets"
    ),
    ReferenceRule("vpc", "aws_subnet", "aws_vpc", "subnets belong to the VPC"),
    ReferenceRule("ec2", "aws_instance", "aws_subnet", "instances are placed in the VPC's subnets"),
    ReferenceRule("alb", "aws_lb_listener", "aws_lb", "the listener serves the load balancer"),
    ReferenceRule(
        "alb", "aws_lb_listener", "aws_lb_target_group", "the listener forwards to the target group"
    ),
    ReferenceRule(
        "asg",
        "aws_autoscaling_group",
        "aws_launch_template",
        "the group launches from the template",
    ),
    ReferenceRule(
        "elasticache",
        "aws_elasticache_replication_group",
        "aws_elasticache_subnet_group",
        "the cache lives in the VPC's subnets",
    ),  # fmt: skip
    ReferenceRule(
        "lambda", "aws_lambda_function", "aws_iam_role", "the function runs as its own role"
    ),
    ReferenceRule(
        "bastion", "aws_eip", "aws_instance", "the Elastic IP is attached to the bastion"
    ),
)

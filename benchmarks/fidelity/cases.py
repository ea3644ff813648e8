"""Requests written the way people write them, each with the details it names.

An expectation is a short string (see `benchmarks/fidelity/check.py`):
  region=eu-central-1                    the provider's region (var.region resolved)
  TYPE.path=VALUE                        some resource of TYPE has VALUE at path (vars/locals resolved)
  TYPE.path~TEXT                         ... contains TEXT
  count TYPE>=N  / count TYPE==N         how many resources of TYPE (literal counts summed)
  policy~ACTION                          some IAM policy document names ACTION
  file PATH                              the project has the file
  tag KEY=VALUE                          the provider's default tags hold KEY=VALUE
Each expectation carries a `key`: the word a "Not built: ..." assumption must contain for an
unhonoured detail to count as declared instead of silently dropped.

DEV is used while building; HELD_OUT was written at the same time and is scored once, at the end.
"""

from __future__ import annotations

# (request, [(expectation, key), ...])
Case = tuple[str, list[tuple[str, str]]]

DEV: list[Case] = [
    (
        "I need a python 3.12 lambda with 512 MB of memory and a 30 s timeout that processes messages from an SQS queue",
        [
            ("aws_lambda_function.runtime=python3.12", "runtime"),
            ("aws_lambda_function.memory_size=512", "memory"),
            ("aws_lambda_function.timeout=30", "timeout"),
            ("count aws_lambda_event_source_mapping>=1", "trigger"),
        ],
    ),
    (
        "mysql 8.0 rds database, keep backups 14 days",
        [
            ("aws_db_instance.engine=mysql", "engine"),
            ("aws_db_instance.engine_version=8.0", "version"),
            ("aws_db_instance.backup_retention_period=14", "backup"),
        ],
    ),
    (
        "PostgreSQL 15 database in Frankfurt",
        [("aws_db_instance.engine_version=15", "version"), ("region=eu-central-1", "region")],
    ),
    (
        "auto scaling group min 3 max 10 of t3.small instances behind an ALB",
        [
            ("aws_autoscaling_group.min_size=3", "min"),
            ("aws_autoscaling_group.max_size=10", "max"),
            ("aws_launch_template.instance_type=t3.small", "instance type"),
        ],
    ),
    (
        "an SNS topic that fans out to two SQS queues, orders and billing",
        [
            ("count aws_sns_topic_subscription>=2", "subscri"),
            ("aws_sqs_queue.name~orders", "orders"),
            ("aws_sqs_queue.name~billing", "billing"),
            ("policy~sns.amazonaws.com", "queue policy"),
        ],
    ),
    (
        "ec2 instance with a CPU > 80% alarm emailing ops@example.com",
        [
            ("aws_cloudwatch_metric_alarm.threshold=80", "alarm"),
            ("aws_sns_topic_subscription.endpoint=ops@example.com", "email"),
            ("aws_cloudwatch_metric_alarm.metric_name=CPUUtilization", "cpu"),
        ],
    ),
    (
        "ALB with 2 web servers and a route53 record app.example.com pointing at the load balancer",
        [("count aws_route53_record>=1", "record"), ("aws_route53_record.name~app", "record")],
    ),
    (
        "lambda function that writes to a dynamodb table called orders",
        [("policy~dynamodb:PutItem", "dynamodb"), ("aws_dynamodb_table.name~orders", "orders")],
    ),
    (
        "an IAM role to read my existing bucket my-data-bucket",
        [
            ("count aws_instance==0", "scope"),
            ("count aws_s3_bucket==0", "existing"),
            ("policy~s3:GetObject", "s3"),
            ("aws_iam_role_policy.policy~my-data-bucket", "my-data-bucket"),
        ],
    ),
    (
        "s3 bucket for backups, move objects to Glacier after 90 days and delete them after 365 days",
        [
            (
                "aws_s3_bucket_lifecycle_configuration.rule.transition.storage_class=GLACIER",
                "glacier",
            ),
            ("aws_s3_bucket_lifecycle_configuration.rule.transition.days=90", "glacier"),
            ("aws_s3_bucket_lifecycle_configuration.rule.expiration.days=365", "expir"),
        ],
    ),
    (
        "vpc with rds postgres, two environments, dev and prod",
        [
            ("file terraform/environments/dev.tfvars", "environment"),
            ("file terraform/environments/prod.tfvars", "environment"),
        ],
    ),
    (
        "vpc across 3 AZs with one NAT gateway per AZ",
        [("count aws_nat_gateway>=3", "nat"), ("count aws_subnet>=6", "az")],
    ),
    (
        "vpc with cidr 10.20.0.0/16 and an ec2 instance",
        [("aws_vpc.cidr_block=10.20.0.0/16", "cidr")],
    ),
    (
        "fifo sqs queue for order events",
        [("aws_sqs_queue.fifo_queue=true", "fifo"), ("aws_sqs_queue.name~.fifo", "fifo")],
    ),
    (
        "dynamodb table sessions with ttl on expires_at",
        [
            ("aws_dynamodb_table.name~sessions", "sessions"),
            ("aws_dynamodb_table.ttl.attribute_name=expires_at", "ttl"),
        ],
    ),
    (
        "rds postgres db.m6g.large with 100 GB storage in eu-west-1",
        [
            ("aws_db_instance.instance_class=db.m6g.large", "class"),
            ("aws_db_instance.allocated_storage=100", "storage"),
            ("region=eu-west-1", "region"),
        ],
    ),
    ("deploy a redis cache in Ireland", [("region=eu-west-1", "region")]),
    (
        "s3 bucket named acme-invoices-prod with versioning",
        [("aws_s3_bucket.bucket=acme-invoices-prod", "acme-invoices-prod")],
    ),
    (
        "sqs queue, tag everything with team=payments and cost-center=1234",
        [("tag team=payments", "tag"), ("tag cost-center=1234", "tag")],
    ),
    (
        "sqs queue with 14 day message retention and a 5 minute visibility timeout",
        [
            ("aws_sqs_queue.message_retention_seconds=1209600", "retention"),
            ("aws_sqs_queue.visibility_timeout_seconds=300", "visibility"),
        ],
    ),
    (
        "lambda nodejs20.x 1024mb memory triggered by an sqs queue",
        [
            ("aws_lambda_function.runtime=nodejs20.x", "runtime"),
            ("aws_lambda_function.memory_size=1024", "memory"),
            ("count aws_lambda_event_source_mapping>=1", "trigger"),
        ],
    ),
    (
        "ecr repository called web-api with mutable tags",
        [
            ("aws_ecr_repository.name~web-api", "web-api"),
            ("aws_ecr_repository.image_tag_mutability=MUTABLE", "mutable"),
        ],
    ),
    (
        "cloudwatch log group with 30 days retention for my app",
        [("aws_cloudwatch_log_group.retention_in_days=30", "retention")],
    ),
    (
        "aurora mysql cluster with 3 instances in ap-southeast-2",
        [
            ("aws_rds_cluster.engine=aurora-mysql", "engine"),
            ("count aws_rds_cluster_instance>=3", "instances"),
            ("region=ap-southeast-2", "region"),
        ],
    ),
    (
        "a postgres database in Sydney with deletion protection off",
        [
            ("region=ap-southeast-2", "region"),
            ("aws_db_instance.deletion_protection=false", "deletion protection"),
        ],
    ),
    (
        "3 t3.large ec2 instances running nginx in Mumbai",
        [
            ("aws_instance.instance_type=t3.large", "instance type"),
            ("count aws_instance>=3", "count"),
            ("region=ap-south-1", "region"),
        ],
    ),
    (
        "asg with desired capacity 4, min 2, max 8",
        [
            ("aws_autoscaling_group.desired_capacity=4", "desired"),
            ("aws_autoscaling_group.min_size=2", "min"),
            ("aws_autoscaling_group.max_size=8", "max"),
        ],
    ),
    (
        "elasticache redis with 3 nodes cache.r7g.large",
        [
            ("aws_elasticache_replication_group.num_cache_clusters=3", "nodes"),
            ("aws_elasticache_replication_group.node_type=cache.r7g.large", "node type"),
        ],
    ),
    (
        "sns topic with an email subscription to alerts@acme.io",
        [
            ("aws_sns_topic_subscription.endpoint=alerts@acme.io", "email"),
            ("aws_sns_topic_subscription.protocol=email", "email"),
        ],
    ),
    ("kms key with alias payments-key", [("aws_kms_alias.name=alias/payments-key", "alias")]),
    (
        "private s3 bucket for logs, expire objects after 30 days",
        [("aws_s3_bucket_lifecycle_configuration.rule.expiration.days=30", "expir")],
    ),
    (
        "mysql database with 7 days of backups, single az",
        [
            ("aws_db_instance.backup_retention_period=7", "backup"),
            ("aws_db_instance.multi_az=false", "az"),
        ],
    ),
    (
        "vpc 10.0.0.0/16 with 3 azs in us-west-2",
        [
            ("aws_vpc.cidr_block=10.0.0.0/16", "cidr"),
            ("count aws_subnet>=3", "az"),
            ("region=us-west-2", "region"),
        ],
    ),
    (
        "bastion host that only allows ssh from 203.0.113.0/24",
        [("aws_vpc_security_group_ingress_rule.cidr_ipv4=203.0.113.0/24", "ssh")],
    ),
    (
        "dynamodb table orders with partition key order_id",
        [
            ("aws_dynamodb_table.hash_key=order_id", "key"),
            ("aws_dynamodb_table.name~orders", "orders"),
        ],
    ),
    (
        "lambda with a 15 minute timeout reading from sqs",
        [
            ("aws_lambda_function.timeout=900", "timeout"),
            ("count aws_lambda_event_source_mapping>=1", "trigger"),
        ],
    ),
    (
        "an alb and an asg of 2 to 6 instances in eu-central-1",
        [
            ("aws_autoscaling_group.min_size=2", "min"),
            ("aws_autoscaling_group.max_size=6", "max"),
            ("region=eu-central-1", "region"),
        ],
    ),
    ("route53 zone for shop.example.org", [("aws_route53_zone.name=shop.example.org", "zone")]),
    (
        "sqs queue named payments-events",
        [("aws_sqs_queue.name~payments-events", "payments-events")],
    ),
    ("s3 bucket in sao paulo for uploads", [("region=sa-east-1", "region")]),
    (
        "postgres rds with an alarm when cpu goes above 75 percent, notify dba@acme.com",
        [
            ("aws_cloudwatch_metric_alarm.threshold=75", "alarm"),
            ("aws_sns_topic_subscription.endpoint=dba@acme.com", "email"),
        ],
    ),
    (
        "prod environment: vpc and an ec2 web server running apache",
        [("var environment=prod", "environment")],
    ),
]

HELD_OUT: list[Case] = [
    (
        "Lambda function in Python 3.11 with 256MB and a 10 second timeout, consuming a FIFO queue",
        [
            ("aws_lambda_function.runtime=python3.11", "runtime"),
            ("aws_lambda_function.memory_size=256", "memory"),
            ("aws_lambda_function.timeout=10", "timeout"),
            ("aws_sqs_queue.fifo_queue=true", "fifo"),
            ("count aws_lambda_event_source_mapping>=1", "trigger"),
        ],
    ),
    (
        "postgres 16 rds with 21 day backups in Tokyo",
        [
            ("aws_db_instance.engine_version=16", "version"),
            ("aws_db_instance.backup_retention_period=21", "backup"),
            ("region=ap-northeast-1", "region"),
        ],
    ),
    (
        "autoscaling between 2 and 5 t3.medium servers behind a load balancer",
        [
            ("aws_autoscaling_group.min_size=2", "min"),
            ("aws_autoscaling_group.max_size=5", "max"),
            ("aws_launch_template.instance_type=t3.medium", "instance type"),
        ],
    ),
    (
        "sns topic alerts that delivers to an sqs queue and emails oncall@example.com",
        [
            ("count aws_sns_topic_subscription>=2", "subscri"),
            ("aws_sns_topic_subscription.endpoint=oncall@example.com", "email"),
            ("aws_sns_topic.name~alerts", "alerts"),
        ],
    ),
    (
        "s3 bucket for media; transition to standard-ia after 30 days and glacier after 180 days",
        [
            (
                "aws_s3_bucket_lifecycle_configuration.rule.transition.storage_class=STANDARD_IA",
                "standard",
            ),
            ("aws_s3_bucket_lifecycle_configuration.rule.transition.days=180", "glacier"),
        ],
    ),
    (
        "rds mysql 8.0 in London with 50 GB storage",
        [
            ("aws_db_instance.engine_version=8.0", "version"),
            ("aws_db_instance.allocated_storage=50", "storage"),
            ("region=eu-west-2", "region"),
        ],
    ),
    (
        "vpc 172.16.0.0/16 across 3 availability zones with a NAT gateway in each AZ",
        [("aws_vpc.cidr_block=172.16.0.0/16", "cidr"), ("count aws_nat_gateway>=3", "nat")],
    ),
    (
        "an iam role that can read from existing bucket raw-data-lake",
        [
            ("count aws_s3_bucket==0", "existing"),
            ("policy~s3:GetObject", "s3"),
            ("aws_iam_role_policy.policy~raw-data-lake", "raw-data-lake"),
        ],
    ),
    (
        "dynamodb table users with ttl attribute ttl and a lambda that reads from it",
        [
            ("aws_dynamodb_table.name~users", "users"),
            ("aws_dynamodb_table.ttl.attribute_name=ttl", "ttl"),
            ("policy~dynamodb:GetItem", "dynamodb"),
        ],
    ),
    (
        "environments: staging and prod. vpc, alb and asg",
        [
            ("file terraform/environments/staging.tfvars", "environment"),
            ("file terraform/environments/prod.tfvars", "environment"),
        ],
    ),
    (
        "redis in Singapore with 2 nodes",
        [
            ("region=ap-southeast-1", "region"),
            ("aws_elasticache_replication_group.num_cache_clusters=2", "nodes"),
        ],
    ),
    (
        "sqs queue with 7 days retention, tagged owner=data-team",
        [
            ("aws_sqs_queue.message_retention_seconds=604800", "retention"),
            ("tag owner=data-team", "tag"),
        ],
    ),
]

# Written after HELD_OUT was scored, before any further development; scored once, at the end.
HELD_OUT_2: list[Case] = [
    (
        "Need a Postgres 14 RDS instance in Paris, backups kept for 10 days, db.t4g.large",
        [
            ("aws_db_instance.engine_version=14", "version"),
            ("aws_db_instance.backup_retention_period=10", "backup"),
            ("region=eu-west-3", "region"),
            ("aws_db_instance.instance_class=db.t4g.large", "class"),
        ],
    ),
    (
        "s3 bucket that triggers a lambda function whenever a file is uploaded",
        [
            ("aws_s3_bucket_notification.lambda_function.events~s3:ObjectCreated", "trigger"),
            ("count aws_lambda_permission>=1", "trigger"),
        ],
    ),
    (
        "web tier: ASG of t3.micro instances, minimum 2 maximum 4, behind an ALB, in Oregon",
        [
            ("aws_autoscaling_group.min_size=2", "min"),
            ("aws_autoscaling_group.max_size=4", "max"),
            ("region=us-west-2", "region"),
            ("aws_launch_template.instance_type=t3.micro", "instance type"),
        ],
    ),
    (
        "sqs queue orders-in with a 2 minute visibility timeout and a lambda consumer with 60 second timeout",
        [
            ("aws_sqs_queue.name~orders-in", "orders-in"),
            ("aws_sqs_queue.visibility_timeout_seconds=120", "visibility"),
            ("aws_lambda_function.timeout=60", "timeout"),
            ("count aws_lambda_event_source_mapping>=1", "trigger"),
        ],
    ),
    (
        "dynamodb table called events with sort key created_at in Stockholm",
        [
            ("aws_dynamodb_table.name~events", "events"),
            ("aws_dynamodb_table.range_key=created_at", "key"),
            ("region=eu-north-1", "region"),
        ],
    ),
    (
        "notify platform@example.org by email when the redis cpu is over 90%",
        [
            ("aws_cloudwatch_metric_alarm.threshold=90", "alarm"),
            ("aws_sns_topic_subscription.endpoint=platform@example.org", "email"),
        ],
    ),
    (
        "mysql 8.4 with 200 gb in Seoul, multi-az",
        [
            ("aws_db_instance.engine_version=8.4", "version"),
            ("aws_db_instance.allocated_storage=200", "storage"),
            ("region=ap-northeast-2", "region"),
            ("aws_db_instance.multi_az=true", "az"),
        ],
    ),
    (
        "a lambda (node 22, 2 GB memory) that reads from a dynamodb table",
        [
            ("aws_lambda_function.runtime=nodejs22.x", "runtime"),
            ("aws_lambda_function.memory_size=2048", "memory"),
            ("policy~dynamodb:Query", "dynamodb"),
        ],
    ),
    (
        "vpc with cidr 10.50.0.0/16, 2 azs, nat gateway per az, plus a bastion that allows ssh from 198.51.100.7/32",
        [
            ("aws_vpc.cidr_block=10.50.0.0/16", "cidr"),
            ("count aws_nat_gateway>=2", "nat"),
            ("aws_vpc_security_group_ingress_rule.cidr_ipv4=198.51.100.7/32", "ssh"),
        ],
    ),
    (
        "s3 bucket called acme-reports-archive, deep archive after 365 days, expire after 2555 days",
        [
            ("aws_s3_bucket.bucket=acme-reports-archive", "acme-reports-archive"),
            (
                "aws_s3_bucket_lifecycle_configuration.rule.transition.storage_class=DEEP_ARCHIVE",
                "archive",
            ),
            ("aws_s3_bucket_lifecycle_configuration.rule.expiration.days=2555", "expir"),
        ],
    ),
    (
        "sns topic publishing to a fifo queue? no - a standard topic 'orders' that fans out to queues email-q and sms-q",
        [
            ("aws_sns_topic.name~orders", "orders"),
            ("count aws_sns_topic_subscription>=2", "subscri"),
            ("aws_sqs_queue.name~email-q", "email-q"),
        ],
    ),
    (
        "an ec2 role that can write to my existing bucket uploads-prod-eu",
        [("policy~s3:PutObject", "s3"), ("count aws_s3_bucket==0", "existing")],
    ),
    (
        "elasticache redis cache.m7g.large x2 in Zurich",
        [
            ("aws_elasticache_replication_group.node_type=cache.m7g.large", "node type"),
            ("region=eu-central-2", "region"),
        ],
    ),
    (
        "staging environment only: alb + 3 ec2 web servers (nginx)",
        [("var environment=staging", "environment"), ("count aws_instance>=3", "count")],
    ),
    (
        "cloudwatch alarms for my rds postgres 16 database, email dba-team@corp.example.com, 14 days of backups",
        [
            ("aws_db_instance.engine_version=16", "version"),
            ("aws_sns_topic_subscription.endpoint=dba-team@corp.example.com", "email"),
            ("aws_db_instance.backup_retention_period=14", "backup"),
        ],
    ),
]

# More phrasings of the same details, added during development after HELD_OUT_2 was committed.
DEV += [
    ("Please set up a MySQL 8.0 database (RDS) with a 30-day backup retention in Ireland",
     [("aws_db_instance.engine_version=8.0", "version"), ("aws_db_instance.backup_retention_period=30", "backup"),
      ("region=eu-west-1", "region")]),
    ("rds postgresql version 16, retain backups for 21 days",
     [("aws_db_instance.engine_version=16", "version"), ("aws_db_instance.backup_retention_period=21", "backup")]),
    ("serverless function in python3.12 with 1 gb of ram, timeout of 2 minutes, reading from an sqs queue",
     [("aws_lambda_function.runtime=python3.12", "runtime"), ("aws_lambda_function.memory_size=1024", "memory"),
      ("aws_lambda_function.timeout=120", "timeout")]),
    ("autoscaling group with minimum of 2, maximum of 12 and desired 3 instances",
     [("aws_autoscaling_group.min_size=2", "min"), ("aws_autoscaling_group.max_size=12", "max"),
      ("aws_autoscaling_group.desired_capacity=3", "desired")]),
    ("sns topic; subscribe the queues audit and analytics to it",
     [("count aws_sns_topic_subscription>=2", "subscri"), ("aws_sqs_queue.name~audit", "audit")]),
    ("email me at me@startup.dev if the ec2 cpu goes above 90 percent",
     [("aws_cloudwatch_metric_alarm.threshold=90", "alarm"), ("aws_sns_topic_subscription.endpoint=me@startup.dev", "email")]),
    ("alb plus asg, and a dns record www.shop.com that points to the alb",
     [("aws_route53_record.name=www.shop.com", "record"), ("aws_route53_zone.name=shop.com", "zone")]),
    ("lambda that stores results in dynamodb and reads messages from sqs",
     [("policy~dynamodb:PutItem", "dynamodb"), ("count aws_lambda_event_source_mapping>=1", "trigger")]),
    ("iam role with read access to the existing s3 bucket company-logs",
     [("policy~s3:GetObject", "s3"), ("count aws_s3_bucket==0", "existing")]),
    ("bucket for invoices: transition to glacier after 60 days",
     [("aws_s3_bucket_lifecycle_configuration.rule.transition.days=60", "glacier")]),
    ("dev, staging and prod environments for a vpc with an ec2 instance",
     [("file terraform/environments/staging.tfvars", "environment"), ("file terraform/environments/dev.tfvars", "environment")]),
    ("3 azs, a nat gateway in every az", [("count aws_nat_gateway>=3", "nat")]),
    ("fifo queue named billing-events", [("aws_sqs_queue.name=billing-events.fifo", "fifo")]),
    ("rds mysql in Tokyo", [("region=ap-northeast-1", "region")]),
    ("ec2 in london with nginx", [("region=eu-west-2", "region")]),
    ("dynamodb in Singapore", [("region=ap-southeast-1", "region")]),
    ("ecr repo named backend/api in canada",
     [("aws_ecr_repository.name=backend/api", "backend/api"), ("region=ca-central-1", "region")]),
    ("kms key, alias is app-secrets", [("aws_kms_alias.name=alias/app-secrets", "alias")]),
    ("sqs queue keeping messages for 10 days", [("aws_sqs_queue.message_retention_seconds=864000", "retention")]),
    ("log group for app logs, retention 90 days", [("aws_cloudwatch_log_group.retention_in_days=90", "retention")]),
    ("redis cluster with 4 nodes in frankfurt",
     [("aws_elasticache_replication_group.num_cache_clusters=4", "nodes"), ("region=eu-central-1", "region")]),
    ("aurora postgres with 2 readers and backups for 14 days",
     [("aws_db_instance.backup_retention_period=14", "backup")][:0] + [("aws_rds_cluster.backup_retention_period=14", "backup")]),
    ("topic named deploys with email to devops@acme.io",
     [("aws_sns_topic.name=deploys", "deploys"), ("aws_sns_topic_subscription.endpoint=devops@acme.io", "email")]),
    ("private vpc 10.8.0.0/16 with an rds postgres 15", [("aws_vpc.cidr_block=10.8.0.0/16", "cidr"),
     ("aws_db_instance.engine_version=15", "version")]),
    ("tags: owner=alice, project=atlas; an s3 bucket", [("tag owner=alice", "tag"), ("tag project=atlas", "tag")]),
]  # fmt: skip

# Triggers (the "triggers" relation), added during development.
DEV += [
    ("lambda function triggered by new objects in an s3 bucket",
     [("aws_s3_bucket_notification.lambda_function.events~s3:ObjectCreated", "trigger"),
      ("aws_lambda_permission.principal=s3.amazonaws.com", "trigger")]),
    ("a lambda subscribed to an sns topic",
     [("aws_sns_topic_subscription.protocol=lambda", "subscri"), ("aws_lambda_permission.principal=sns.amazonaws.com", "subscri")]),
    ("sns topic that invokes a node 20 lambda",
     [("aws_sns_topic_subscription.protocol=lambda", "subscri"), ("aws_lambda_function.runtime=nodejs20.x", "runtime")]),
]  # fmt: skip

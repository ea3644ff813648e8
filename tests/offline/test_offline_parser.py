"""The deterministic clarifier: phrasings, counts, engines, sizes, exposure, unknown words."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infragen.offline import parse_request


def kinds(text: str) -> set[str]:
    return {c.kind for c in parse_request(text).components}


def component(text: str, kind: str):
    return next(c for c in parse_request(text).components if c.kind == kind)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("create vpc with rds", {"vpc", "rds"}),
        ("I need a postgres database in a private network", {"rds", "vpc"}),
        ("web server with nginx behind a load balancer", {"ec2", "alb"}),
        ("s3 bucket for logs", {"s3"}),
        ("queue with a dead letter queue and a lambda consumer", {"sqs", "lambda"}),
        ("redis cache", {"elasticache"}),
        ("container registry", {"ecr"}),
        ("dns zone for example.com", {"route53"}),
        ("Aurora MySQL cluster", {"aurora"}),
        ("a DynamoDB table and an SNS topic", {"dynamodb", "sns"}),
        ("bastion host with a KMS key", {"bastion", "kms"}),
        ("CloudWatch alarms for two EC2 instances", {"monitoring", "ec2"}),
        ("an application load balancer with an autoscaling group", {"alb", "asg"}),
        ("Deploy an RDS instance, please!", {"rds"}),
        ("ecr repository for my containers", {"ecr"}),
    ],
)
def test_phrasings_name_the_right_components(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    ("text", "kind", "count"),
    [
        ("2 ec2 instances", "ec2", 2),
        ("three web servers running nginx", "ec2", 3),
        ("an ec2 instance", "ec2", 1),
        ("auto scaling group of 4 small instances", "asg", 4),
        ("aurora postgres with 3 instances", "aurora", 3),
        ("5 redis nodes", "elasticache", 5),
        ("redis cluster with 3 nodes", "elasticache", 3),
        ("a large aurora mysql cluster with 3 instances", "aurora", 3),
    ],
)
def test_counts_come_from_the_words_before_a_component(text, kind, count):
    assert component(text, kind).count == count


def test_noun_after_another_component_does_not_add_an_ec2_host():
    assert kinds("rds instance with 2 ec2 instances") == {"rds", "ec2"}
    assert component("rds instance with 2 ec2 instances", "ec2").count == 2
    assert kinds("postgres server") == {"rds"}


def test_servers_with_auto_scaling_become_the_group():
    spec = parse_request(
        "web servers running apache behind an application load balancer with auto scaling"
    )
    assert {c.kind for c in spec.components} == {"alb", "asg"}
    assert component("3 web servers with nginx in an auto scaling group", "asg").count == 3
    assert spec.components[1].options["web_server"] == "apache"


def test_aurora_absorbs_the_word_database():
    assert kinds("aurora postgres database with 3 instances") == {"aurora"}


def test_subnet_and_az_counts_set_the_az_count():
    assert parse_request("vpc with three subnets").az_count == 3
    assert parse_request("vpc across 3 AZs").az_count == 3
    assert parse_request("vpc in 4 availability zones").az_count == 4
    assert parse_request("vpc").az_count == 2


def test_az_count_is_capped_by_the_region():
    spec = parse_request("vpc across 3 AZs in us-west-1")
    assert spec.az_count == 2
    assert any("us-west-1" in a for a in spec.assumptions)


@pytest.mark.parametrize(
    ("text", "kind", "engine"),
    [
        ("postgres database", "rds", "postgres"),
        ("PostgreSQL db", "rds", "postgres"),
        ("mysql database", "rds", "mysql"),
        ("a database", "rds", "postgres"),
        ("aurora postgresql cluster", "aurora", "aurora-postgresql"),
        ("aurora mysql cluster", "aurora", "aurora-mysql"),
        ("aurora cluster", "aurora", "aurora-postgresql"),
    ],
)
def test_engines(text, kind, engine):
    assert component(text, kind).options["engine"] == engine


def test_sizes_and_explicit_classes():
    assert component("large postgres database", "rds").options["instance_class"] == "db.r6g.xlarge"
    assert component("rds on db.t4g.micro", "rds").options["instance_class"] == "db.t4g.micro"
    assert component("ec2 instance t3.small", "ec2").options["instance_type"] == "t3.small"
    assert component("medium ec2 instance", "ec2").options["instance_type"] == "t3.medium"
    assert (
        component("redis on cache.t4g.small", "elasticache").options["node_type"]
        == "cache.t4g.small"
    )


def test_multi_az_defaults_on_and_single_az_turns_it_off():
    default = parse_request("postgres database")
    assert component("postgres database", "rds").options["multi_az"] is True
    assert any("Multi-AZ" in a for a in default.assumptions)
    assert component("single-az mysql database", "rds").options["multi_az"] is False
    assert component("mysql with multi-az", "rds").options["multi_az"] is True


def test_web_server_choice():
    assert component("web server with apache", "ec2").options["web_server"] == "apache"
    assert component("2 httpd servers", "ec2").options["web_server"] == "apache"
    spec = parse_request("web server")
    assert spec.components[0].options["web_server"] == "nginx"
    assert any("nginx" in a for a in spec.assumptions)
    assert "web_server" not in component("2 ec2 instances", "ec2").options


def test_region_and_default_region_assumption():
    assert parse_request("vpc in eu-west-1").region == "eu-west-1"
    assert parse_request("rds in ap-southeast-2").region == "ap-southeast-2"
    spec = parse_request("vpc")
    assert spec.region == "us-east-1"
    assert any("us-east-1" in a for a in spec.assumptions)


def test_exposure():
    assert component("internal load balancer with web servers", "alb").options["internal"] is True
    assert component("public load balancer with web servers", "alb").options["internal"] is False
    assert component("load balancer with web servers", "alb").options["internal"] is False
    assert component("postgres in a private network", "vpc").options["private_only"] is True


def test_domain_is_read_for_dns():
    assert (
        component("hosted zone for shop.example.org", "route53").options["domain"]
        == "shop.example.org"
    )
    spec = parse_request("dns zone")
    assert spec.components[0].options["domain"] == "example.com"
    assert any("example.com" in a for a in spec.assumptions)


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("create a kubernetes cluster on gke", {"kubernetes", "gke"}),
        ("eks cluster in a vpc", {"eks"}),
        ("an azure vm", {"azure vm"}),
        ("cloudfront in front of an s3 bucket", {"cloudfront"}),
    ],
)
def test_unsupported_infrastructure_goes_to_unknown(text, unknown):
    spec = parse_request(text)
    assert set(spec.unknown) == unknown


def test_other_cloud_nouns_are_not_read_as_aws_components():
    assert kinds("an azure vm") == set()
    assert kinds("eks cluster in a vpc") == {"vpc"}


@pytest.mark.parametrize(
    "text",
    [
        "tell me a joke about cats",
        "write a poem about the sea",
        "what is the capital of France?",
        "",
    ],
)
def test_non_infrastructure_text_yields_nothing(text):
    spec = parse_request(text)
    assert spec.components == [] and spec.unknown == [] and spec.assumptions == []


def test_name_is_a_slug_of_the_request():
    assert parse_request("create vpc with rds").name == "vpc-rds"
    assert parse_request("hello").name == "infragen"


def test_parsing_is_deterministic():
    text = "2 web servers behind a load balancer with a mysql database in eu-west-2"
    assert parse_request(text) == parse_request(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_into_a_valid_spec(text):
    spec = parse_request(text)
    assert re.fullmatch(r"[a-z][a-z0-9-]{1,19}", spec.name)
    assert 1 <= spec.az_count <= 6
    assert all(1 <= c.count <= 20 for c in spec.components)


@pytest.mark.parametrize(
    "text", ["create vpc with a database", "vpc with a db", "an ec2 server with a database"]
)
def test_a_component_after_with_is_a_second_component_not_a_count(text):
    assert "rds" in {c.kind for c in parse_request(text).components}


def test_a_counted_noun_after_with_still_counts_for_the_component_before():
    [cache] = parse_request("redis cluster with 3 nodes").components
    assert (cache.kind, cache.count) == ("elasticache", 3)

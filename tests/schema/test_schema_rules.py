"""Each schema rule on a small fixture: `fail` resources must be reported, `pass` ones must not."""

from __future__ import annotations

import pytest

from infragen.errors import ConfigError
from infragen.schema import provider_version, validate_texts
from infragen.schema.store import load
from infragen.schema.version import major_from_constraint

PIN5 = 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "~> 5.75"\n    }\n  }\n}\n'


def rules(text: str, major: int | None = None) -> set[tuple[str, str | None]]:
    return {(f.rule_id, f.resource) for f in validate_texts({"main.tf": text}, major)}


def test_shipped_versions_are_recorded():
    assert provider_version(5) == "5.99.1"
    assert provider_version(6) == "6.25.0"
    with pytest.raises(ConfigError):
        load(4)


def test_schema_knows_arguments_blocks_and_read_only_attributes():
    instance = load(6).lookup("resource", "aws_instance")
    assert instance.arguments["instance_type"] == ["string", "o"]
    assert "public_ip" in instance.computed and "public_ip" not in instance.arguments
    assert instance.block("root_block_device").max_items == 1
    assert instance.block("ebs_block_device").nesting == "set"
    assert load(6).lookup("resource", "aws_ecr_repository").required_arguments() == ["name"]
    assert load(6).lookup("data", "aws_ami") is not None


@pytest.mark.parametrize(
    ("constraint", "major"),
    [
        ("~> 5.75", 5),
        ("5.90.0", 5),
        (">= 5.0, < 6.0", 5),
        ("~> 6.0", 6),
        (">= 4.0", 6),
        ("~> 4.16", 5),
    ],
)
def test_constraint_picks_the_highest_allowed_major(constraint, major):
    assert major_from_constraint(constraint) == major


def test_pinned_major_decides_which_arguments_exist():
    eip = 'resource "aws_eip" "ip" {\n  vpc = true\n}\n'
    assert rules(PIN5 + eip) == set()
    assert rules(eip) == {("schema.unknown-argument", "aws_eip.ip")}


def test_unknown_types_with_suggestions():
    text = 'resource "aws_s3_buckets" "fail" {}\ndata "aws_amis" "fail" {}\nresource "random_id" "pass" {\n  byte_length = 4\n}\n'
    findings = validate_texts({"main.tf": text})
    assert {f.rule_id for f in findings} == {
        "schema.unknown-resource-type",
        "schema.unknown-data-source",
    }
    assert 'Did you mean "aws_s3_bucket"?' in findings[0].message
    assert findings[0].line == 1 and findings[1].line == 2


def test_arguments_blocks_and_their_kinds():
    text = """
resource "aws_s3_bucket" "fail" {
  buckett = "x"
  versioning = {
    enabled = true
  }
  tags {
    a = "b"
  }
}
resource "aws_instance" "fail" {
  ami                    = "ami-1"
  public_ip              = "1.2.3.4"
  vpc_security_group_ids = "sg-1"
  root_block_device {
    volume_size = "large"
  }
  root_block_device {}
}
resource "aws_cloudwatch_log_resource_policy" "fail" {
  name = "x"
}
"""
    found = {(f.rule_id, f.line) for f in validate_texts({"main.tf": text})}
    assert found == {
        ("schema.unknown-argument", 3),
        ("schema.block-as-attribute", 4),
        ("schema.attribute-as-block", 7),
        ("schema.read-only-attribute", 13),
        ("schema.wrong-type", 14),
        ("schema.wrong-type", 16),
        ("schema.too-many-blocks", 11),
        ("schema.missing-required-argument", 20),
        ("schema.unknown-argument", 21),
    }


def test_meta_arguments_dynamic_blocks_and_modules_are_understood():
    text = """
variable "ports" {
  default = [80, 443]
}
module "net" {
  source = "terraform-aws-modules/vpc/aws"
  cidr   = "10.0.0.0/16"
}
resource "aws_security_group" "pass" {
  count       = 2
  provider    = aws
  vpc_id      = module.net.vpc_id
  depends_on  = [module.net]
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  egress = []
  lifecycle {
    create_before_destroy = true
    ignore_changes        = [tags]
  }
}
resource "aws_instance" "pass" {
  for_each      = toset(["a", "b"])
  ami           = "ami-1"
  instance_type = "t3.micro"
  tags          = { Name = each.key, Sg = aws_security_group.pass[0].id }
}
output "ips" {
  value = [for i in aws_instance.pass : i.public_ip]
}
"""
    assert validate_texts({"main.tf": text}) == []


def test_dynamic_block_of_unknown_type_and_required_blocks():
    text = """
resource "aws_security_group" "fail" {
  dynamic "ingres" {
    for_each = [1]
    content {}
  }
}
resource "aws_autoscaling_group" "fail" {
  max_size = 1
  min_size = 1
}
resource "aws_cloudfront_distribution" "fail" {
  enabled = true
}
"""
    found = {f.rule_id for f in validate_texts({"main.tf": text})}
    assert found == {"schema.unknown-block", "schema.missing-required-block"}


def test_references_are_checked_across_files():
    files = {
        "main.tf": 'resource "aws_vpc" "main" {\n  cidr_block = var.cidr\n}\n',
        "net.tf": 'resource "aws_subnet" "a" {\n  vpc_id     = aws_vpc.main.idd\n  cidr_block = local.c\n}\n'
        'output "x" {\n  value = aws_vpc.other.id\n}\noutput "y" {\n  value = "${data.aws_ami.nope.id}"\n}\n',
        "vars.tf": 'variable "cidr" {}\n',
        "README.md": "not terraform",
    }
    found = sorted((f.file, f.line, f.rule_id) for f in validate_texts(files))
    assert found == [
        ("net.tf", 2, "schema.unknown-attribute-reference"),
        ("net.tf", 3, "schema.undeclared-reference"),
        ("net.tf", 6, "schema.undeclared-reference"),
        ("net.tf", 9, "schema.undeclared-reference"),
    ]


def test_parse_errors_and_stray_top_level_content():
    assert {
        f.rule_id for f in validate_texts({"bad.tf": 'resource "aws_vpc" "x" {\n  a = "\n}\n'})
    } == {"schema.parse-error"}
    found = {
        f.rule_id for f in validate_texts({"main.tf": 'region = "x"\nresorce "aws_vpc" "x" {}\n'})
    }
    assert found == {"schema.unknown-top-level"}

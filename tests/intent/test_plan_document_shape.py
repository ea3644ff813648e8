"""The offline plan document has the shape and values `terraform show -json` gives for a plan."""

from __future__ import annotations

import json

import pytest

from infragen.intent.plan_document import build_plan_document
from infragen.tools.hcl import HclParseError

MAIN = """
provider "aws" {
  region = "eu-west-1"
}

variable "env" {
  default = "prod"
}

locals {
  prefix = "app-${var.env}"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "fn" {
  name               = "${local.prefix}-role"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_s3_bucket" "logs" {
  bucket = "${local.prefix}-logs"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "s3:*", Resource = "${aws_s3_bucket.logs.arn}/*" }]
  })
}

resource "aws_subnet" "a" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "web" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.a[0].id
  depends_on    = [aws_security_group.web]
  root_block_device {
    encrypted = true
  }
}
"""


@pytest.fixture(scope="module")
def doc() -> dict:
    return build_plan_document({"main.tf": MAIN})


def _config(doc: dict, address: str) -> dict:
    return next(
        r for r in doc["configuration"]["root_module"]["resources"] if r["address"] == address
    )


def _planned(doc: dict, address: str) -> dict:
    return next(
        r for r in doc["planned_values"]["root_module"]["resources"] if r["address"] == address
    )


def _change(doc: dict, address: str) -> dict:
    return next(r for r in doc["resource_changes"] if r["address"] == address)


def test_references_list_each_traversal_prefix_like_terraform(doc):
    exprs = _config(doc, "aws_instance.web")["expressions"]
    assert exprs["subnet_id"] == {
        "references": ["aws_subnet.a[0].id", "aws_subnet.a[0]", "aws_subnet.a"]
    }
    assert _config(doc, "aws_iam_role.fn")["expressions"]["assume_role_policy"] == {
        "references": [
            "data.aws_iam_policy_document.assume.json",
            "data.aws_iam_policy_document.assume",
        ]
    }
    assert _config(doc, "aws_iam_role.fn")["expressions"]["name"] == {
        "references": ["local.prefix"]
    }


def test_constants_nested_blocks_and_meta_arguments(doc):
    web = _config(doc, "aws_instance.web")
    assert web["expressions"]["instance_type"] == {"constant_value": "t3.micro"}
    assert web["expressions"]["root_block_device"] == [{"encrypted": {"constant_value": True}}]
    assert web["depends_on"] == ["aws_security_group.web"]
    assert "depends_on" not in web["expressions"]
    assert web["provider_config_key"] == "aws"
    assert _config(doc, "aws_subnet.a")["count_expression"] == {"constant_value": 2}
    assert _config(doc, "aws_subnet.a")["expressions"]["cidr_block"] == {
        "references": ["count.index"]
    }


def test_security_group_rules_are_one_attribute_expression(doc):
    ingress = _config(doc, "aws_security_group.web")["expressions"]["ingress"]
    assert ingress["constant_value"][0]["from_port"] == 443


def test_default_network_acl_rules_are_blocks_as_in_the_real_schema():
    """aws_network_acl's rules are one attribute, aws_default_network_acl's are blocks (5.100.0):
    Rego written against a real plan indexes `expressions.ingress[0].protocol.constant_value`."""
    rule = 'protocol = -1\n rule_no = 100\n action = "allow"\n cidr_block = "0.0.0.0/0"\n from_port = 0\n to_port = 0'
    text = (
        f'resource "aws_default_network_acl" "d" {{\n default_network_acl_id = "acl-1"\n'
        f"ingress {{\n{rule}\n}}\n}}\n"
        f'resource "aws_network_acl" "n" {{\n vpc_id = "vpc-1"\n ingress {{\n{rule}\n}}\n}}\n'
    )
    doc = build_plan_document({"main.tf": text})
    default = _config(doc, "aws_default_network_acl.d")["expressions"]["ingress"]
    assert default[0]["protocol"] == {"constant_value": -1}
    plain = _config(doc, "aws_network_acl.n")["expressions"]["ingress"]
    assert plain["constant_value"][0]["protocol"] == -1


def test_count_expands_to_indexed_instances_with_evaluated_values(doc):
    subnets = [
        r for r in doc["planned_values"]["root_module"]["resources"] if r["type"] == "aws_subnet"
    ]
    assert [(s["address"], s["index"], s["values"]["cidr_block"]) for s in subnets] == [
        ("aws_subnet.a[0]", 0, "10.0.0.0/24"),
        ("aws_subnet.a[1]", 1, "10.0.1.0/24"),
    ]


def test_variables_locals_and_literal_attributes_of_other_resources_resolve(doc):
    assert _planned(doc, "aws_iam_role.fn")["values"]["name"] == "app-prod-role"
    assert doc["variables"] == {"env": {"value": "prod"}}
    assert doc["configuration"]["root_module"]["variables"]["env"] == {"default": "prod"}


def test_computed_values_are_left_out_and_marked_unknown(doc):
    change = _change(doc, "aws_s3_bucket_policy.logs")["change"]
    assert "bucket" not in change["after"] and "policy" not in change["after"]
    assert change["after_unknown"]["bucket"] is True and change["after_unknown"]["policy"] is True
    assert change["actions"] == ["create"] and change["before"] is None
    assert "subnet_id" not in _change(doc, "aws_instance.web")["change"]["after"]


def test_policy_documents_render_like_the_aws_provider(doc):
    policy = json.loads(_planned(doc, "aws_iam_role.fn")["values"]["assume_role_policy"])
    assert policy == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"Service": "lambda.amazonaws.com"},
            }
        ],
    }
    prior = doc["prior_state"]["values"]["root_module"]["resources"]
    assert [r["address"] for r in prior] == ["data.aws_iam_policy_document.assume"]


def test_jsonencode_matches_terraform_compact_sorted_output():
    doc = build_plan_document(
        {
            "main.tf": 'resource "aws_iam_policy" "p" {\n  policy = jsonencode({b = 1, a = ["x"]})\n}\n'
        }
    )
    assert (
        doc["planned_values"]["root_module"]["resources"][0]["values"]["policy"]
        == '{"a":["x"],"b":1}'
    )
    # A call without references is not a constant either: Terraform writes an empty object.
    assert doc["configuration"]["root_module"]["resources"][0]["expressions"]["policy"] == {}


def test_resources_are_sorted_by_address_and_provider_config_is_listed(doc):
    addresses = [r["address"] for r in doc["resource_changes"]]
    assert addresses == sorted(addresses)
    config_addresses = [r["address"] for r in doc["configuration"]["root_module"]["resources"]]
    assert config_addresses[-1] == "data.aws_iam_policy_document.assume"
    assert doc["configuration"]["provider_config"]["aws"]["expressions"]["region"] == {
        "constant_value": "eu-west-1"
    }


def test_for_each_and_dynamic_blocks_expand():
    text = """
resource "aws_s3_bucket" "b" {
  for_each = toset(["logs", "data"])
  bucket   = "corp-${each.key}"
}
resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = [80, 443]
    content {
      from_port = ingress.value
      to_port   = ingress.value
    }
  }
}
"""
    doc = build_plan_document({"main.tf": text})
    buckets = [
        r for r in doc["planned_values"]["root_module"]["resources"] if r["type"] == "aws_s3_bucket"
    ]
    assert [(b["address"], b["values"]["bucket"]) for b in buckets] == [
        ('aws_s3_bucket.b["data"]', "corp-data"),
        ('aws_s3_bucket.b["logs"]', "corp-logs"),
    ]
    sg = next(
        r
        for r in doc["planned_values"]["root_module"]["resources"]
        if r["type"] == "aws_security_group"
    )
    assert [rule["from_port"] for rule in sg["values"]["ingress"]] == [80, 443]


def test_broken_hcl_raises_the_shared_parse_error():
    with pytest.raises(HclParseError):
        build_plan_document({"main.tf": 'resource "aws_vpc" "x" {\n  cidr_block = \n}\n'})


def test_operators_bind_as_in_terraform_not_as_the_grammar_nests_them():
    """The hcl2 grammar nests `2 * 3 + 1` as `2 * (3 + 1)` and `a == 1 ? x : y` as
    `a == (1 ? x : y)`; Terraform's precedence gives 7 and a comparison as the condition."""
    text = """
variable "env" {
  default = "prod"
}
resource "aws_sqs_queue" "q" {
  delay_seconds              = 2 * 3 + 1
  max_message_size           = 2 * (3 + 1) * 1024
  visibility_timeout_seconds = var.env == "prod" ? 60 : 30
  fifo_queue                 = 1 + 2 == 3 && !false
  message_retention_seconds  = 100 - 10 - 5
}
"""
    doc = build_plan_document({"main.tf": text})
    [queue] = doc["planned_values"]["root_module"]["resources"]
    values = queue["values"]
    assert values["delay_seconds"] == 7
    assert values["max_message_size"] == 8192
    assert values["visibility_timeout_seconds"] == 60
    assert values["fifo_queue"] is True
    assert values["message_retention_seconds"] == 85

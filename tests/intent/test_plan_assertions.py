"""Assertions derived from a Plan pass on a faithful project and name what a wrong one lacks."""

from __future__ import annotations

from infragen.domain import ComponentSpec, ExpectedResource, Plan, Spec
from infragen.intent.assertions import assertions_for, check_assertions
from infragen.intent.plan_document import build_plan_document

PLAN = Plan(
    spec=Spec(request="create vpc with rds"),
    components=[
        ComponentSpec(kind="vpc"),
        ComponentSpec(
            kind="rds",
            options={"engine": "postgres", "instance_class": "db.t3.micro", "multi_az": True},
        ),
    ],
    expected=[
        ExpectedResource(component="vpc", type="aws_subnet", min_count=2),
        ExpectedResource(component="rds", type="aws_db_instance"),
    ],
)

GOOD = """
variable "engine" {
  default = "postgres"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
}
resource "aws_db_subnet_group" "db" {
  subnet_ids = aws_subnet.private[*].id
}
resource "aws_security_group" "db" {
  vpc_id = aws_vpc.main.id
}
resource "aws_db_instance" "main" {
  engine                 = var.engine
  instance_class         = "db.t3.micro"
  multi_az               = true
  db_subnet_group_name   = aws_db_subnet_group.db.name
  vpc_security_group_ids = [aws_security_group.db.id]
}
"""


def _results(text: str) -> dict:
    results = check_assertions(assertions_for(PLAN), build_plan_document({"main.tf": text}))
    return {r.assertion.id: r for r in results}


def test_assertions_cover_counts_options_and_references():
    ids = {a.id for a in assertions_for(PLAN)}
    assert {
        "vpc:count:aws_subnet",
        "rds:arg:engine",
        "rds:arg:multi_az",
        "rds:arg:instance_class",
    } <= ids
    assert "rds:ref:aws_db_instance->aws_db_subnet_group" in ids
    assert "vpc:ref:aws_subnet->aws_vpc" in ids


def test_a_faithful_project_passes_every_assertion():
    results = _results(GOOD)
    assert [r.message for r in results.values() if not r.passed] == []
    assert results["rds:arg:engine"].evidence == "aws_db_instance.main.engine = 'postgres'"
    assert results["vpc:count:aws_subnet"].evidence.startswith("found 2 aws_subnet")


def test_wrong_engine_single_subnet_and_missing_reference_fail_with_evidence():
    bad = GOOD.replace('default = "postgres"', 'default = "mysql"').replace(
        "count      = 2", "count      = 1"
    )
    bad = bad.replace("  db_subnet_group_name   = aws_db_subnet_group.db.name\n", "")
    results = _results(bad)
    failed = {k for k, r in results.items() if not r.passed}
    assert failed == {
        "rds:arg:engine",
        "vpc:count:aws_subnet",
        "rds:ref:aws_db_instance->aws_db_subnet_group",
    }
    assert "mysql" in results["rds:arg:engine"].message
    assert "found 1 aws_subnet" in results["vpc:count:aws_subnet"].message


def test_values_known_only_after_apply_are_unverifiable_not_failed():
    text = GOOD.replace(
        'instance_class         = "db.t3.micro"', "instance_class = aws_db_subnet_group.db.id"
    )
    result = _results(text)["rds:arg:instance_class"]
    assert result.status == "unverifiable" and result.passed

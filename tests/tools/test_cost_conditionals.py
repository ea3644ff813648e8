"""Counts decided by conditions (`count = var.create ? 1 : 0`) are evaluated where the code alone
decides them, so what is switched off is not priced; where it does not, the count stays unknown
(priced as 1, with a note). Each case is a pair: one the evaluator must decide, one it must not."""

from __future__ import annotations

from pathlib import Path

import pytest

from infragen.tools import cost
from infragen.tools.cost_rules import Resolver
from infragen.tools.hcl import inventory_from_dir, inventory_from_texts
from infragen.tools.hcl_readings import evaluate
from infragen.tools.hcl_values import Unknown

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real-terraform"
NO_DATA = pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is absent (shared data)")

VARIABLES = """
variable "create" { default = true }
variable "off" { default = false }
variable "azs" { default = ["a", "b", "c"] }
variable "mode" { default = "single" }
variable "id" { default = null }
variable "given" {}
variable "text_number" {
  type    = string
  default = 1
}
locals {
  create = var.create && var.off
  none   = []
}
"""


def count(expression: str) -> int | None:
    """The count the resolver gives `count = <expression>`, on the real renderer's output."""
    text = f'{VARIABLES}\nresource "aws_eip" "x" {{\n  count = {expression}\n}}\n'
    inventory = inventory_from_texts({"main.tf": text})
    return Resolver(inventory).instances(inventory.resources[0].body)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("var.create ? 1 : 0", 1),
        ("var.off ? 1 : 0", 0),
        ("var.given ? 1 : 0", None),  # set outside the code
        ("!var.off ? 2 : 0", 2),
        ("var.off || var.create ? 1 : 0", 1),
        ("var.create && var.off ? 1 : 0", 0),
        ("local.create ? 1 : 0", 0),
        ("local.create && var.given ? 1 : 0", 0),  # false whatever var.given is
        ("var.create && var.given ? 1 : 0", None),
        ('var.mode == "single" ? 1 : 3', 1),
        ('var.mode != "single" ? 1 : 3', 3),
        ("var.id != null ? 0 : 1", 1),
        ("var.create ? length(var.azs) : 0", 3),
        ("var.create ? length(local.none) : 1", 0),
        ("var.create ? length(var.given) : 0", None),
        ("var.off ? length(var.given) : 0", 0),
        ("max(length(var.azs), 2)", 3),
        ("length(var.azs) > 2 ? 1 : 0", 1),
        ("var.create ? var.given : 0", None),
        ("length([for z in var.azs : z if var.off])", 0),
        ("length([for z in var.azs : z if z == var.mode])", None),  # depends on the loop
        ("var.text_number == 1 ? 1 : 0", None),  # Terraform made the default "1"
        ("var.create ? 1.5 : 0", None),  # not a whole number
        ("var.create", None),  # a bool is no count
    ],
)
def test_count_is_decided_only_when_the_code_decides_it(expression, expected):
    assert count(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # bc-python-hcl2 drops parentheses: both texts below are `!var.create && var.off ? ...`
        # once rendered, so only a value every parenthesisation agrees on is given.
        ("!var.create && var.create ? 1 : 0", 0),
        ("!(var.create && var.off) ? 1 : 0", None),
        ("(var.create ? 1 : 0) + 1", None),  # arrives as `var.create ? 1 : 0 + 1`
        ("var.create ? 1 : 2 + 3", None),
        ("var.off ? 1 : 2 * 3", 6),  # `(off ? 1 : 2) * 3` is 6 as well
        # `(s ? 1 : p) ? ...` would mix number and bool, which Terraform refuses: not a reading.
        ("var.create ? 1 : var.off ? length(var.azs) : 5", 1),
        ("var.off ? 1 : var.off ? length(var.azs) : 5", 5),
    ],
)
def test_lost_parentheses_leave_only_what_every_reading_agrees_on(expression, expected):
    assert count(expression) == expected


def lookup(kind: str, name: str):
    return {"var": {"on": True, "list": [1, 2], "name": "x"}}.get(kind, {}).get(name, Unknown())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${max(var.list)}", 2),  # `max(var.list...)`: the renderer drops the `...`
        ("${concat(var.list)}", [1, 2]),
        ("${var.list == []}", Unknown("bool")),  # a list is never the empty tuple in Terraform
        ('${1 == "1"}', Unknown("bool")),
        ("${true == 1}", Unknown("bool")),
        ("${var.on ? {'a': 1} : {}}", {"a": 1}),
        ("${try(var.on, false)}", Unknown()),
        ("${var.on ? local.missing : 0}", Unknown()),
        ("ex-${var.name}", Unknown("string")),
        ("${var.name}-${var.name}", Unknown()),
        ("${var.on ? 1 : true}", Unknown()),  # Terraform refuses it
        ("${10 / 0}", Unknown("number")),
    ],
)
def test_evaluate_reads_simple_expressions_and_nothing_more(text, expected):
    assert evaluate(text, lookup) == expected


MODULE = """
variable "create" { default = true }
variable "nat" { default = false }
variable "zones" { default = ["a", "b"] }
locals {
  nat_count = var.nat ? length(var.zones) : 0
}
resource "aws_db_instance" "this" {
  count          = var.create ? 1 : 0
  engine         = "postgres"
  instance_class = "db.t3.micro"
}
resource "aws_nat_gateway" "this" {
  count = var.create && var.nat ? local.nat_count : 0
}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def lines(root: Path) -> dict[str, cost.CostLine]:
    result = cost.estimate_from_table(inventory_from_dir(root), directory=root)
    assert not [a for a in result.assumptions if "priced as 1" in a]
    return {x.resource: x for x in result.lines}


def test_a_module_switched_off_prices_nothing_and_one_switched_on_does(tmp_path):
    calls = (
        'module "off" {\n  source = "./m"\n  create = false\n  nat = true\n}\n'
        'module "on" {\n  source = "./m"\n  nat = true\n}\n'
        'module "no_nat" {\n  source = "./m"\n}\n'
    )
    found = lines(write(tmp_path, {"main.tf": calls, "m/main.tf": MODULE}))
    assert found["module.off.aws_db_instance.this"].monthly_usd == 0.0
    assert "not created" in found["module.off.aws_nat_gateway.this"].detail
    assert found["module.on.aws_db_instance.this"].monthly_usd > 0
    assert "(x2)" in found["module.on.aws_nat_gateway.this"].detail
    assert found["module.no_nat.aws_nat_gateway.this"].monthly_usd == 0.0


@NO_DATA
def test_real_rds_example_does_not_price_the_disabled_instance():
    example = REAL / "rds" / "examples" / "complete-mysql"
    result = cost.estimate_from_table(inventory_from_dir(example), directory=example)
    found = {x.resource: x for x in result.lines}
    disabled = found["module.db_disabled.module.db_instance.aws_db_instance.this"]
    assert disabled.monthly_usd == 0.0 and "not created" in disabled.detail
    assert not any(u.startswith(disabled.resource) for u in result.unpriced)
    enabled = found["module.db.module.db_instance.aws_db_instance.this"]
    assert enabled.monthly_usd > 0 and "RDS mysql" in enabled.detail


@NO_DATA
@pytest.mark.parametrize(
    ("example", "call", "nat_gateways"),
    [
        ("simple", "vpc", 0),  # enable_nat_gateway left at its default, false
        ("secondary-cidr-blocks", "vpc", 0),  # enable_nat_gateway = false
        ("complete", "vpc", 1),  # single_nat_gateway = true
        ("issues", "vpc_issue_44", 3),  # one per subnet of the longest list (3 database)
        ("issues", "vpc_issue_46", 0),
    ],
)
def test_real_vpc_examples_price_the_nat_gateways_they_make(example, call, nat_gateways):
    directory = REAL / "vpc" / "examples" / example
    result = cost.estimate_from_table(inventory_from_dir(directory), directory=directory)
    nat = next(x for x in result.lines if x.resource == f"module.{call}.aws_nat_gateway.this")
    assert not any(a.startswith(nat.resource + ":") for a in result.assumptions)
    if nat_gateways == 0:
        assert nat.monthly_usd == 0.0 and "not created" in nat.detail
    else:
        assert nat.monthly_usd > 0 and (nat_gateways == 1 or f"(x{nat_gateways})" in nat.detail)

"""Cost that cannot be wrong silently: derived sizes, partial lines, regional prices, modules, and
a budget that says "cannot tell" when something is unpriced."""

import pytest

from infragen.nodes.finops import budget_gate
from infragen.tools import cost
from infragen.tools.hcl import inventory_from_texts

_DB = """
provider "aws" {
  region = var.region
}
variable "region" {
  default = "%s"
}
resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = "%s"
  allocated_storage = 100
  storage_type      = "gp3"
}
"""


def _estimate(region: str = "us-east-1", cls: str = "db.m6g.large", extra: str = ""):
    return cost.estimate_from_table(inventory_from_texts({"main.tf": _DB % (region, cls) + extra}))


def test_missing_size_is_derived_from_its_family():
    listed = _estimate(cls="db.m6g.large").lines[0].monthly_usd
    derived = _estimate(cls="db.m6g.4xlarge").lines[0]
    assert "derived from db.m6g.large" in derived.detail
    storage = 100 * 0.115
    assert derived.monthly_usd - storage == pytest.approx(8 * (listed - storage), rel=1e-3)


def test_licence_priced_engines_are_not_priced_as_postgres():
    text = (_DB % ("us-east-1", "db.m6g.large")).replace('"postgres"', '"sqlserver-se"')
    estimate = cost.estimate_from_table(inventory_from_texts({"main.tf": text}))
    assert estimate.lines[0].monthly_usd == pytest.approx(100 * 0.115, abs=0.01)  # storage only
    assert "RDS engine sqlserver-se" in estimate.unpriced[0]


def test_unknown_class_keeps_storage_and_is_listed_unpriced():
    estimate = _estimate(cls="db.zz9.large")
    assert estimate.lines[0].monthly_usd == pytest.approx(100 * 0.115, abs=0.01)
    assert len(estimate.unpriced) == 1 and "db.zz9.large" in estimate.unpriced[0]


def test_region_scales_prices_and_is_stated():
    east, west = _estimate(), _estimate(region="eu-west-1")
    assert west.monthly_usd == pytest.approx(east.monthly_usd * 1.1, rel=1e-3)
    assert any("eu-west-1" in a for a in west.assumptions)
    # the header names how the prices were derived, not the table's own region alone
    assert "us-east-1 on-demand x 1.1 for eu-west-1" in west.source
    assert "us-east-1 on-demand," in east.source
    unknown = _estimate(region="xx-nowhere-1")
    assert unknown.monthly_usd == east.monthly_usd
    assert any("no price level for xx-nowhere-1" in a for a in unknown.assumptions)
    assert "used for xx-nowhere-1, which the table lacks" in unknown.source


def test_module_calls_are_unpriced_not_free():
    module = 'module "network" {\n  source = "./modules/network"\n}\n'
    estimate = _estimate(extra=module)
    assert any(u.startswith("module.network") for u in estimate.unpriced)


def test_budget_gate_cannot_tell_when_something_is_unpriced():
    assert budget_gate(10.0, 50.0).status == "passed"
    gate = budget_gate(10.0, 50.0, ["aws_db_instance.main (no price)"])
    assert gate.status == "failed" and "cannot tell" in gate.findings[0].message
    assert budget_gate(60.0, 50.0, []).status == "failed"
    assert budget_gate(10.0, None, ["x"]).status == "passed"

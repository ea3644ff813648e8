import pytest

from infragen.errors import ConfigError
from infragen.tools import cost, infracost
from infragen.tools.hcl import inventory_from_dir, inventory_from_texts


def _lines(estimate):
    return {line.resource: line for line in estimate.lines}


def test_project_estimate_reads_bodies_and_variable_defaults(fixtures):
    estimate = cost.estimate(inventory_from_dir(fixtures / "tf_project20"))
    lines = _lines(estimate)
    # 2 x t3.small (var default) + 20 GB gp3 each
    assert lines["aws_instance.web"].monthly_usd == pytest.approx(
        2 * (0.0208 * 730 + 20 * 0.08), abs=0.01
    )
    # Multi-AZ doubles instance and storage: db.t3.micro postgres + 50 GB gp3 x 2
    assert lines["aws_db_instance.main"].monthly_usd == pytest.approx(
        2 * 0.018 * 730 + 100 * 0.115, abs=0.01
    )
    assert lines["aws_nat_gateway.main"].monthly_usd == pytest.approx(
        0.045 * 730 + 100 * 0.045, abs=0.01
    )
    assert lines["aws_eip.nat"].monthly_usd == pytest.approx(0.005 * 730, abs=0.01)
    assert lines["aws_lb.web"].monthly_usd == pytest.approx((0.0225 + 0.008) * 730, abs=0.01)
    for free in (
        "aws_vpc.main",
        "aws_subnet.public_a",
        "aws_security_group.web",
        "aws_iam_role.web",
        "aws_route_table.private",
        "aws_s3_bucket_versioning.assets",
    ):
        assert lines[free].monthly_usd == 0.0
    assert estimate.unpriced == []
    assert len(estimate.lines) == 20
    assert estimate.monthly_usd == pytest.approx(
        sum(line.monthly_usd for line in estimate.lines), abs=0.02
    )
    assert "us-east-1" in estimate.source and "2025" in estimate.source
    assert any(a.startswith("usage: nat_data_gb") for a in estimate.assumptions)


def test_unknown_types_and_sizes_are_listed_not_hidden():
    inv = inventory_from_texts(
        {
            "main.tf": """
resource "aws_instance" "big" {
  instance_type = "x9.mega"
}
resource "aws_shiny_new_thing" "x" {}
resource "random_id" "r" {
  byte_length = 4
}
"""
        }
    )
    estimate = cost.estimate(inv)
    assert len(estimate.unpriced) == 2
    assert any("aws_instance.big" in u and "x9.mega" in u for u in estimate.unpriced)
    assert _lines(estimate)["random_id.r"].detail == "not a cloud resource"
    assert _lines(estimate)["aws_shiny_new_thing.x"].monthly_usd is None


def test_counts_usage_overrides_and_computed_counts():
    inv = inventory_from_texts(
        {
            "main.tf": """
resource "aws_nat_gateway" "n" {
  count = 3
}
resource "aws_s3_bucket" "b" {
  count = length(var.names)
}
resource "aws_dynamodb_table" "t" {
  billing_mode   = "PROVISIONED"
  read_capacity  = 10
  write_capacity = 5
}
"""
        }
    )
    estimate = cost.estimate(inv, assumptions={"nat_data_gb": 0, "s3_storage_gb": 1000})
    lines = _lines(estimate)
    assert lines["aws_nat_gateway.n"].monthly_usd == pytest.approx(3 * 0.045 * 730, abs=0.01)
    assert lines["aws_s3_bucket.b"].monthly_usd == pytest.approx(1000 * 0.023 + 0.5 + 0.4, abs=0.01)
    assert any("aws_s3_bucket.b" in a and "priced as 1" in a for a in estimate.assumptions)
    assert lines["aws_dynamodb_table.t"].monthly_usd == pytest.approx(
        5 * 0.00065 * 730 + 10 * 0.00013 * 730 + 10 * 0.25, abs=0.01
    )


def test_free_text_assumptions_keep_defaults_and_bad_keys_are_rejected():
    inv = inventory_from_texts({"main.tf": 'resource "aws_eks_cluster" "c" {\n  name = "c"\n}\n'})
    assert cost.estimate(inv, assumptions=["two AZs"]).monthly_usd == pytest.approx(73.0)
    with pytest.raises(ConfigError):
        cost.estimate(inv, assumptions={"no_such_usage": 1})


def test_infracost_json_is_parsed(fixtures):
    import json

    estimate = infracost.parse_breakdown(
        json.loads((fixtures / "infracost-breakdown.json").read_text())
    )
    assert estimate.source == "infracost" and estimate.monthly_usd == pytest.approx(49.63)
    lines = _lines(estimate)
    assert lines["aws_instance.web[0]"].monthly_usd == pytest.approx(16.784)
    assert (
        "root_block_device / Storage (general purpose SSD, gp3): $1.60"
        in lines["aws_instance.web[0]"].detail
    )
    assert "aws_lambda_function.hello" in estimate.unpriced
    assert any("aws_foo_widget" in u for u in estimate.unpriced)
    assert lines["aws_vpc x1"].monthly_usd == 0.0


def test_infracost_argv_and_fallback(fixtures, monkeypatch):
    assert infracost.breakdown_argv("/bin/infracost", fixtures) == [
        "/bin/infracost",
        "breakdown",
        "--path",
        str(fixtures),
        "--format",
        "json",
        "--no-color",
    ]
    monkeypatch.delenv("INFRACOST_API_KEY", raising=False)
    estimate = cost.estimate(
        inventory_from_dir(fixtures / "tf_valid"), directory=fixtures / "tf_valid"
    )
    assert estimate.source.startswith("embedded price table")

"""Issue 19's defects, each through `generate()` with the offline backend and the real gates:
every detail a request names is in the Terraform (parsed, variables resolved) or declared as
"Not built", and the project still passes every gate."""

from __future__ import annotations

import pytest
from bench_fidelity import check

from infragen.api import generate
from infragen.settings import RunSettings
from infragen.tools.hcl import inventory_from_texts

# (request, expectations in bench_fidelity's syntax)
DEFECTS = [
    ("python 3.12 lambda reading an sqs queue, 512 MB, 30 s timeout",
     ["aws_lambda_function.runtime=python3.12", "aws_lambda_function.memory_size=512",
      "aws_lambda_function.timeout=30"]),
    ("mysql 8.0 database, keep backups 14 days",
     ["aws_db_instance.engine_version=8.0", "aws_db_parameter_group.family=mysql8.0",
      "aws_db_instance.backup_retention_period=14"]),
    ("PostgreSQL 15 database in Frankfurt",
     ["aws_db_instance.engine_version=15", "aws_db_parameter_group.family=postgres15",
      "region=eu-central-1"]),
    ("ASG min 3 max 10 behind an alb",
     ["aws_autoscaling_group.min_size=3", "aws_autoscaling_group.max_size=10"]),
    ("sns topic that fans out to two sqs queues",
     ["count aws_sns_topic_subscription>=2", "policy~sns.amazonaws.com"]),
    ("ec2 instance with a CPU > 80% alarm emailing ops@example.com",
     ["aws_cloudwatch_metric_alarm.threshold=80", "aws_sns_topic_subscription.endpoint=ops@example.com"]),
    ("alb with web servers and a route53 record app.example.com pointing at the alb",
     ["aws_route53_record.name=app.example.com", "aws_route53_zone.name=example.com"]),
    ("lambda that writes to a dynamodb table", ["policy~dynamodb:PutItem"]),
    ("an IAM role to read my existing bucket my-data-bucket",
     ["policy~s3:GetObject", "count aws_s3_bucket==0", "count aws_instance==0", "count aws_vpc==0",
      "count aws_nat_gateway==0"]),
    ("s3 bucket, move to Glacier after 90 days",
     ["aws_s3_bucket_lifecycle_configuration.rule.transition.storage_class=GLACIER"]),
    ("vpc with rds, two environments, dev and prod",
     ["file terraform/environments/dev.tfvars", "file terraform/environments/prod.tfvars"]),
    ("vpc across 3 azs with one NAT gateway per AZ", ["count aws_nat_gateway>=3"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def offline_settings():
    return RunSettings(offline=True, max_retries=1)


def _run(request_text, tmp_path, settings, **kwargs):
    result = generate(request_text, output_dir=tmp_path / "out", settings=settings, **kwargs)
    files = {
        str(p.relative_to(tmp_path / "out")): p.read_text()
        for p in (tmp_path / "out").rglob("*")
        if p.is_file()
    }
    tf = {k.removeprefix("terraform/"): v for k, v in files.items() if k.endswith(".tf")}
    return result.report, inventory_from_texts(tf), files


@pytest.mark.parametrize(("request_text", "expectations"), DEFECTS)
def test_detail_is_honoured_and_gates_pass(request_text, expectations, offline_settings, tmp_path):
    report, inventory, files = _run(request_text, tmp_path, offline_settings)
    assert report["status"] == "passed", {
        n: g["findings"][:3] for n, g in report["gates"].items() if g["status"] == "failed"
    }
    missing = [e for e in expectations if not check(e, inventory, files)]
    assert missing == []


def test_frankfurt_is_not_reported_as_no_region(offline_settings, tmp_path):
    report, _, _ = _run("PostgreSQL 15 database in Frankfurt", tmp_path, offline_settings)
    assert not any("no region named" in a for a in report["assumptions"])
    assert any("eu-central-1" in a and "frankfurt" in a for a in report["assumptions"])


def test_lambda_assumption_no_longer_claims_a_runtime_the_user_did_not_ask(
    offline_settings, tmp_path
):
    report, _, _ = _run("python 3.12 lambda reading an sqs queue", tmp_path, offline_settings)
    assert not any("3.13" in a for a in report["assumptions"])


def test_unhonoured_detail_is_declared_not_dropped(offline_settings, tmp_path):
    report, inventory, files = _run(
        "postgres 9.6 database, backups 90 days", tmp_path, offline_settings
    )
    declared = [a for a in report["assumptions"] if a.startswith("Not built")]
    assert any("9.6" in a for a in declared) and any("90 days" in a for a in declared)
    assert check("aws_db_instance.engine_version=17", inventory, files)


def test_unpriced_instance_class_keeps_storage_and_fails_the_budget(offline_settings, tmp_path):
    report, _, _ = _run(
        "rds postgres db.x9z.large with 100 GB storage",
        tmp_path,
        offline_settings,
    )
    assert report["cost"]["unpriced"] and "db.x9z.large" in report["cost"]["unpriced"][0]
    line = next(x for x in report["cost"]["lines"] if x["type"] == "aws_db_instance")
    assert line["monthly_usd"] and line["monthly_usd"] > 0  # the storage is still priced
    capped = RunSettings(offline=True, max_retries=1, max_monthly_cost=50_000)
    report, _, _ = _run("rds postgres db.x9z.large", tmp_path / "capped", capped)
    gate = report["gates"]["cost"]
    assert gate["status"] == "failed" and "cannot tell" in gate["findings"][0]["message"]


def test_db_m6g_large_is_priced_and_region_changes_the_price(offline_settings, tmp_path):
    east, _, _ = _run("rds postgres db.m6g.large", tmp_path / "east", offline_settings)
    west, _, _ = _run("rds postgres db.m6g.large in eu-west-1", tmp_path / "west", offline_settings)
    assert east["cost"]["unpriced"] == [] and west["cost"]["unpriced"] == []
    assert west["cost"]["monthly_usd"] > east["cost"]["monthly_usd"] > 200

"""Requests phrased as people write them, through the real graph, the offline backend and the real
gates (Checkov, ansible-playbook, HCL/schema validation). Every project must pass every gate."""

from __future__ import annotations

import pytest

from infragen.api import generate
from infragen.settings import RunSettings

REQUESTS = [
    "create vpc with rds",
    "create ec2 instance with nginx and security group",
    "create vpc with 2 public subnets, rds postgres database, ec2 instance running nginx, security groups",
    "I need a mysql database with multi-az in a private network",
    "aurora postgresql cluster across 3 AZs",
    "web servers running apache behind an application load balancer with auto scaling",
    "private s3 bucket for logs with versioning",
    "sqs queue with a dead letter queue and a lambda consumer",
    "dynamodb table and an sns topic for alerts",
    "redis cache for my app",
    "ecr repository for my containers",
    "route53 dns zone for example.com",
    "bastion host in a vpc with a kms key",
    "cloudwatch log group and alarms for an ec2 instance",
]


@pytest.fixture(scope="module")
def offline_settings():
    return RunSettings(offline=True, max_retries=1)


@pytest.mark.parametrize("request_text", REQUESTS)
def test_offline_request_passes_every_gate(request_text, offline_settings, tmp_path):
    result = generate(request_text, output_dir=tmp_path / "out", settings=offline_settings)
    report = result.report
    assert report["status"] == "passed", {n: g["findings"][:5] for n, g in report["gates"].items()}
    assert report["gates"]["validate"]["status"] == "passed"
    assert report["gates"]["completeness"]["status"] == "passed"
    security = report["gates"]["security"]
    assert security["status"] == "passed"
    failed_checks = [f for f in security["findings"] if f["severity"] != "info"]
    assert failed_checks == []
    # the only findings left are skips written into the code, each with its justification
    assert all(
        f["message"].endswith(")") and "suppressed in code" in f["message"]
        for f in security["findings"]
    )
    assert "checkov" in security["engine"].lower()
    assert report["gates"]["ansible"]["status"] == "passed"
    assert report["gates"]["plan"]["status"] == "skipped" and report["gates"]["plan"]["reason"]
    assert report["cost"]["monthly_usd"] >= 0 and report["cost"]["lines"]
    assert report["usage"]["total_tokens"] == 0
    out = tmp_path / "out"
    for name in (
        "terraform/versions.tf",
        "ansible/playbook.yml",
        "ansible/inventory.yml",
        "report.json",
        "REPORT.md",
    ):
        assert (out / name).is_file(), name

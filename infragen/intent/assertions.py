"""Intent assertions derived from the planner's Plan and checked on a plan document.

The completeness node calls `check_assertions(assertions_for(plan), build_plan_document(files))`
and feeds each failed result's `message` back to the architect, so the repair prompt says
exactly which resource, argument or reference the generated project is missing.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from infragen.domain import Plan
from infragen.intent.assertion_rules import ARGUMENT_RULES, REFERENCE_RULES

AssertionKind = Literal["resource_count", "argument", "reference"]


class Assertion(BaseModel):
    """One promise of the plan, e.g. `aws_db_instance.engine == "postgres"`."""

    id: str
    kind: AssertionKind
    component: str
    types: list[str]  # resource types that may satisfy it, first preferred
    min_count: int = 1
    argument: str = ""
    expected: Any = None
    target: str = ""  # referenced resource type, for kind="reference"
    description: str = ""


class AssertionResult(BaseModel):
    assertion: Assertion
    status: Literal["passed", "failed", "unverifiable"]
    evidence: str

    @property
    def passed(self) -> bool:
        """Unverifiable (the value is only known after apply) does not block generation."""
        return self.status != "failed"

    @property
    def message(self) -> str:
        return f"{self.assertion.description}: {self.evidence}"


def assertions_for(plan: Plan) -> list[Assertion]:
    """Resource counts from `plan.expected`, arguments from component options, implied references."""
    out: list[Assertion] = []
    for exp in plan.expected:
        out.append(Assertion(
            id=f"{exp.component}:count:{exp.type}", kind="resource_count", component=exp.component,
            types=[exp.type], min_count=exp.min_count,
            description=f"{exp.component} needs at least {exp.min_count} {exp.type}",
        ))  # fmt: skip
    kinds = {c.kind for c in plan.components}
    for component in plan.components:
        for rule in ARGUMENT_RULES:
            if rule.kind != component.kind or rule.option not in component.options:
                continue
            expected = component.options[rule.option]
            out.append(Assertion(
                id=f"{component.kind}:arg:{rule.argument}", kind="argument", component=component.kind,
                types=list(rule.types), argument=rule.argument, expected=expected,
                description=f"{component.kind} asked for {rule.option}={expected!r}, "
                f"so {' or '.join(rule.types)}.{rule.argument} must be {expected!r}",
            ))  # fmt: skip
    for rule in REFERENCE_RULES:
        if rule.kind in kinds:
            out.append(Assertion(
                id=f"{rule.kind}:ref:{rule.source}->{rule.target}", kind="reference", component=rule.kind,
                types=[rule.source], target=rule.target,
                description=f"{rule.source} must reference {rule.target} ({rule.why})",
            ))  # fmt: skip
    return out


def check_assertions(
    assertions: list[Assertion], plan_doc: dict[str, Any]
) -> list[AssertionResult]:
    checks = {
        "resource_count": _check_count,
        "argument": _check_argument,
        "reference": _check_reference,
    }
    return [checks[a.kind](a, plan_doc) for a in assertions]


def _planned(plan_doc: dict[str, Any], rtype: str) -> list[dict[str, Any]]:
    resources = plan_doc.get("planned_values", {}).get("root_module", {}).get("resources", [])
    return [
        r for r in resources if r.get("type") == rtype and r.get("mode", "managed") == "managed"
    ]


def _configured(plan_doc: dict[str, Any], rtype: str) -> list[dict[str, Any]]:
    resources = plan_doc.get("configuration", {}).get("root_module", {}).get("resources", [])
    return [r for r in resources if r.get("type") == rtype and r.get("mode") == "managed"]


def _check_count(assertion: Assertion, plan_doc: dict[str, Any]) -> AssertionResult:
    rtype = assertion.types[0]
    found = [r["address"] for r in _planned(plan_doc, rtype)]
    ok = len(found) >= assertion.min_count
    evidence = f"found {len(found)} {rtype}" + (f": {', '.join(found[:5])}" if found else "")
    return AssertionResult(
        assertion=assertion, status="passed" if ok else "failed", evidence=evidence
    )


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return str(actual).lower() == str(expected).lower()
    if isinstance(expected, int | float) and not isinstance(actual, bool):
        try:
            return float(actual) == float(expected)
        except (TypeError, ValueError):
            return False
    return str(actual).lower() == str(expected).lower()


def _check_argument(assertion: Assertion, plan_doc: dict[str, Any]) -> AssertionResult:
    seen: list[str] = []
    for rtype in assertion.types:
        for resource in _planned(plan_doc, rtype):
            values = resource.get("values", {})
            if assertion.argument not in values:
                continue
            if _same(values[assertion.argument], assertion.expected):
                return AssertionResult(
                    assertion=assertion, status="passed",
                    evidence=f"{resource['address']}.{assertion.argument} = {values[assertion.argument]!r}",
                )  # fmt: skip
            seen.append(
                f"{resource['address']}.{assertion.argument} = {values[assertion.argument]!r}"
            )
    if seen:
        return AssertionResult(assertion=assertion, status="failed", evidence="; ".join(seen[:3]))
    for rtype in assertion.types:
        for resource in _configured(plan_doc, rtype):
            refs = resource.get("expressions", {}).get(assertion.argument, {}).get("references")
            if refs:
                return AssertionResult(
                    assertion=assertion, status="unverifiable",
                    evidence=f"{resource['address']}.{assertion.argument} comes from {refs[0]}, "
                    "known only after apply",
                )  # fmt: skip
    present = [r["address"] for t in assertion.types for r in _planned(plan_doc, t)]
    where = (
        f"{', '.join(present[:3])} does not set it"
        if present
        else f"no {' or '.join(assertion.types)}"
    )
    return AssertionResult(assertion=assertion, status="failed", evidence=where)


def _references(expressions: Any) -> list[str]:
    if isinstance(expressions, dict):
        own = expressions.get("references")
        refs = list(own) if isinstance(own, list) else []
        return refs + [
            r for k, v in expressions.items() if k != "references" for r in _references(v)
        ]
    if isinstance(expressions, list):
        return [r for v in expressions for r in _references(v)]
    return []


def _check_reference(assertion: Assertion, plan_doc: dict[str, Any]) -> AssertionResult:
    sources = _configured(plan_doc, assertion.types[0])
    if not sources:
        return AssertionResult(
            assertion=assertion, status="failed", evidence=f"no {assertion.types[0]}"
        )
    prefix = f"{assertion.target}."
    for resource in sources:
        refs = [r for r in _references(resource.get("expressions", {})) if r.startswith(prefix)]
        refs += [d for d in resource.get("depends_on", []) if d.startswith(prefix)]
        if refs:
            return AssertionResult(
                assertion=assertion, status="passed", evidence=f"{resource['address']} -> {refs[0]}"
            )
    names = ", ".join(r["address"] for r in sources[:3])
    return AssertionResult(
        assertion=assertion,
        status="failed",
        evidence=f"{names} never references a {assertion.target}",
    )

"""Completeness (no model): every planned component is present in the parsed resource graph."""

from __future__ import annotations

import time
from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext
from infragen.domain import Finding, GateResult, Plan
from infragen.intent.policies import Policy, policy_findings
from infragen.state import State
from infragen.tools.hcl import HclParseError, Inventory, inventory_from_texts
from infragen.workspace import subset


def missing_resources(plan: Plan, inventory: Inventory) -> list[Finding]:
    counts = inventory.summary()
    findings = []
    for item in plan.expected:
        have = counts.get(item.type, 0)
        if have < item.min_count:
            findings.append(
                Finding(
                    gate="completeness",
                    rule_id="missing-resource",
                    message=f"{item.component} needs at least {item.min_count} {item.type}, found {have}",
                    resource=item.type,
                )
            )
    return findings


def intent_findings(plan: Plan, plan_doc: dict[str, Any]) -> list[Finding]:
    """Argument and reference assertions derived from the plan, checked on the offline plan
    document (resource counts are `missing_resources`' job)."""
    from infragen.intent.assertions import assertions_for, check_assertions

    results = check_assertions(assertions_for(plan), plan_doc)
    return [
        Finding(
            gate="completeness",
            rule_id=f"intent:{r.assertion.id}",
            message=r.message,
            resource=" ".join(r.assertion.types),
        )
        for r in results
        if not r.passed and r.assertion.kind != "resource_count"
    ]


def check_completeness(
    plan: Plan, files: dict[str, str], policies: list[Policy] | None = None
) -> GateResult:
    started = time.perf_counter()
    tf = subset(files, "terraform/")
    try:
        inventory = inventory_from_texts(tf)
    except HclParseError as exc:
        return GateResult(
            name="completeness",
            status="failed",
            engine="resource-graph",
            findings=[Finding(gate="completeness", message=str(exc))],
        )
    from infragen.intent.plan_document import build_plan_document

    plan_doc = build_plan_document(tf)
    findings = missing_resources(plan, inventory) + intent_findings(plan, plan_doc)
    if policies:
        findings += policy_findings(policies, plan_doc, gate="completeness")
    return GateResult(
        name="completeness",
        status="failed" if findings else "passed",
        engine="resource-graph + intent"
        + (f" + {len(policies)} rego policies" if policies else ""),
        findings=findings,
        duration_s=round(time.perf_counter() - started, 3),
    )


def completeness(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    policies = [Policy.model_validate(p) for p in state.get("policies", [])]
    gate = check_completeness(Plan.model_validate(state["plan"]), state["files"], policies)
    return {"gates": {"completeness": {**gate.model_dump(), "attempt": state["attempt"]}}}

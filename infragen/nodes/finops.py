"""FinOps (no model): Infracost when available, else the embedded price table."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext, context_of
from infragen.domain import Finding, GateResult
from infragen.state import State
from infragen.tools.hcl import HclParseError, inventory_from_texts
from infragen.workspace import subset, sync_scratch


def budget_gate(monthly_usd: float, limit: float | None) -> GateResult:
    if limit is None:
        return GateResult(
            name="cost", status="passed", engine="estimate", reason="no --max-monthly-cost set"
        )
    over = monthly_usd > limit
    findings = [
        Finding(
            gate="cost",
            rule_id="max-monthly-cost",
            message=f"estimate ${monthly_usd:,.2f}/month exceeds the limit ${limit:,.2f}",
        )
    ]
    return GateResult(
        name="cost",
        status="failed" if over else "passed",
        engine="estimate",
        findings=findings if over else [],
    )


def finops(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    from infragen.tools import cost

    ctx = context_of(runtime)
    tf = subset(state["files"], "terraform/")
    try:
        inventory = inventory_from_texts(tf)
    except HclParseError:
        return {}
    scratch = sync_scratch(ctx.workspace / "cost", tf) / "terraform"
    spec = state.get("spec", {})
    estimate = cost.estimate(inventory, directory=scratch, assumptions=spec.get("assumptions"))
    gate = budget_gate(estimate.monthly_usd, ctx.settings.max_monthly_cost)
    return {"cost": estimate.model_dump(), "gates": {"cost": gate.model_dump()}}

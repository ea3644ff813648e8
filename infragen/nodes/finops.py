"""FinOps (no model): Infracost when available, else the embedded price table."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext, context_of
from infragen.domain import Finding, GateResult
from infragen.state import State
from infragen.tools.hcl import HclParseError, inventory_from_texts
from infragen.workspace import subset, sync_scratch


def budget_gate(
    monthly_usd: float, limit: float | None, unpriced: list[str] | None = None
) -> GateResult:
    """Fail over the limit; under it, fail too when something is unpriced: the total cannot tell."""
    if limit is None:
        return GateResult(
            name="cost", status="passed", engine="estimate", reason="no --max-monthly-cost set"
        )
    findings = []
    if monthly_usd > limit:
        message = f"estimate ${monthly_usd:,.2f}/month exceeds the limit ${limit:,.2f}"
        findings.append(Finding(gate="cost", rule_id="max-monthly-cost", message=message))
    elif unpriced:
        message = (
            f"cannot tell whether the project stays under ${limit:,.2f}/month: "
            f"the ${monthly_usd:,.2f} estimate leaves out {len(unpriced)} unpriced resource(s): "
            + "; ".join(unpriced[:5])
        )
        findings.append(Finding(gate="cost", rule_id="max-monthly-cost-unpriced", message=message))
    return GateResult(
        name="cost", status="failed" if findings else "passed", engine="estimate", findings=findings
    )


def finops(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    from infragen.tools import cost

    ctx = context_of(runtime)
    tf = subset(state["files"], "terraform/")
    # The root module is terraform/'s own files; a module below it is priced through the call
    # naming it (read from the scratch copy), not as the root's resources.
    root = {p: t for p, t in tf.items() if "/" not in p.removeprefix("terraform/")}
    try:
        inventory = inventory_from_texts(root)
    except HclParseError:
        return {}
    scratch = sync_scratch(ctx.workspace / "cost", tf) / "terraform"
    spec = state.get("spec", {})
    estimate = cost.estimate(inventory, directory=scratch, assumptions=spec.get("assumptions"))
    gate = budget_gate(estimate.monthly_usd, ctx.settings.max_monthly_cost, estimate.unpriced)
    return {"cost": estimate.model_dump(), "gates": {"cost": gate.model_dump()}}

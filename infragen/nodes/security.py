"""Security (no model): Checkov in-process on the Terraform code; fails closed on parse errors."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext, context_of
from infragen.state import State
from infragen.workspace import subset, sync_scratch


def security(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    from infragen.tools import checkov

    ctx = context_of(runtime)
    scratch = sync_scratch(ctx.workspace / "security", subset(state["files"], "terraform/"))
    gate = checkov.scan(
        scratch / "terraform",
        frameworks=["terraform"],
        skip_checks=ctx.settings.skip_checks,
        fail_on=ctx.settings.fail_on,
    )
    gate = gate.model_copy(update={"name": "security"})
    return {"gates": {"security": {**gate.model_dump(), "attempt": state["attempt"]}}}

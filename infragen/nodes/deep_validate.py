"""Deep validator (no model): `terraform plan`, only when credentials or `--plan` allow it."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext, context_of
from infragen.state import State
from infragen.workspace import subset, sync_scratch


def deep_validate(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    from infragen.tools import terraform

    ctx = context_of(runtime)
    scratch = sync_scratch(ctx.workspace / "plan", subset(state["files"], "terraform/"))
    gate = terraform.plan(
        scratch / "terraform", allow_exec=ctx.settings.allow_exec, explicit=ctx.settings.plan
    )
    return {"gates": {"plan": {**gate.model_dump(), "attempt": state["attempt"]}}}

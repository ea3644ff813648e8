"""Deep validator (no model): plan, apply and destroy on a local AWS emulator with `--emulator`,
else `terraform plan` when credentials or `--plan` allow it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext, context_of
from infragen.domain import GateResult
from infragen.settings import RunSettings
from infragen.state import State
from infragen.workspace import subset, sync_scratch


def deep_check(directory: Path, settings: RunSettings) -> GateResult:
    """The plan gate for one Terraform root: on the emulator when asked, else a guarded plan."""
    from infragen.tools import terraform

    if settings.emulator:
        from infragen.nodes.validate import providers_for
        from infragen.tools.terraform_emulation import emulate

        return emulate(directory, allow_exec=settings.allow_exec, providers=providers_for(settings))
    return terraform.plan(directory, allow_exec=settings.allow_exec, explicit=settings.plan)


def deep_validate(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = context_of(runtime)
    scratch = sync_scratch(ctx.workspace / "plan", subset(state["files"], "terraform/"))
    gate = deep_check(scratch / "terraform", ctx.settings)
    return {"gates": {"plan": {**gate.model_dump(), "attempt": state["attempt"]}}}

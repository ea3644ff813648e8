"""Security (no model): Checkov in-process on the Terraform code, plus hard-coded secrets (the same
check `infragen check` runs); fails closed on parse errors. A plaintext password is valid
Terraform, so it fails this gate, not the validate gate."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext, context_of
from infragen.state import State
from infragen.workspace import subset, sync_scratch


def security(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    from infragen.check_gates import secret_findings
    from infragen.tools import checkov

    ctx = context_of(runtime)
    scratch = sync_scratch(ctx.workspace / "security", subset(state["files"], "terraform/"))
    gate = checkov.scan(
        scratch / "terraform",
        frameworks=["terraform"],
        skip_checks=ctx.settings.skip_checks,
        fail_on=ctx.settings.fail_on,
    )
    secrets = secret_findings(subset(state["files"], "terraform/"))
    gate = gate.model_copy(
        update={
            "name": "security",
            "findings": [*secrets, *gate.findings],
            "status": "failed" if secrets else gate.status,
            "engine": f"{gate.engine} + secret patterns" if gate.engine else "secret patterns",
        }
    )
    return {"gates": {"security": {**gate.model_dump(), "attempt": state["attempt"]}}}

"""Architect (standard tier, or lightweight first for simple requests): write or revise the code."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext
from infragen.domain import GateResult
from infragen.feedback import build_feedback
from infragen.files import parse_files
from infragen.prompting import ask, call_record, compact_json
from infragen.safety import strip_unsafe
from infragen.state import State
from infragen.workspace import subset

RETRY_GATES = ("validate", "completeness", "security")


def failed_gates(state: State) -> list[GateResult]:
    """Gates of the latest attempt that failed (earlier attempts' verdicts are stale)."""
    attempt = state.get("attempt", 0)
    return [
        GateResult.model_validate(g)
        for name, g in state.get("gates", {}).items()
        if name in RETRY_GATES and g.get("attempt") == attempt and g["status"] == "failed"
    ]


def merge_revision(current: dict[str, str], revised: dict[str, str]) -> dict[str, str]:
    """A revision replaces the files it returns and keeps the others."""
    return {**current, **revised}


def architect_tier(route: dict[str, Any], attempt: int) -> str | None:
    """Escalation: simple requests try the lightweight tier first and move to the task's
    standard tier once a gate has failed; everything else starts on the standard tier."""
    return "lightweight" if route.get("class") == "simple" and attempt == 1 else None


def architect(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = runtime.context
    attempt = state.get("attempt", 0) + 1
    current = subset(state.get("files", {}), "terraform/")
    failures = failed_gates(state) if attempt > 1 else []
    feedback = build_feedback(attempt - 1, failures) if failures else ""
    tier = architect_tier(state.get("route", {}), attempt)
    response = ask(
        ctx.model_router(),
        "architect",
        "architect",
        max_tokens=ctx.settings.max_tokens_for("architect"),
        payload={"plan": state["plan"], "files": current, "feedback": feedback},
        tier=tier,
        plan=compact_json(state["plan"]["components"]),
        files=current,
        feedback=feedback,
    )
    revised = {f.path: f.content for f in parse_files(response.content)}
    cleaned, removed = strip_unsafe(revised)
    files = merge_revision(current, cleaned)
    ctx.emit("attempt", attempt=attempt, files=len(files))
    log = [{"attempt": attempt - 1, "failed_gates": [g.name for g in failures],
            "findings": sum(len(g.findings) for g in failures)}] if failures else []
    return {
        "attempt": attempt,
        "attempt_log": log,
        "tier": tier or "standard",
        "files": files,
        "feedback": feedback,
        "repairs": removed,
        "calls": [call_record("architect", response)],
    }

"""Reviewer (no model): close an architect attempt, log it, and keep the best one.

Every attempt ends here, whichever gate stopped it. The reviewer writes the attempt's line in
`attempt_log` (each gate's status on that attempt, the model and tier that answered) and keeps a
copy of the best attempt so far: fewest gate failures, unusable answers last, the later attempt on
a tie. When no attempt is left, the run ships the best one, not merely the last, and says so.
"""

from __future__ import annotations

from typing import Any

from infragen.gates import RETRY_GATES
from infragen.nodes.architect import ANSWER_RULES
from infragen.nodes.catalogue import unread_pending
from infragen.state import State

DEFAULT_MAX_RETRIES = 3
UNUSABLE = ("hcl-parse", *ANSWER_RULES)
"""Findings that mean no other gate could judge the attempt: it goes straight back."""


def gates_of(state: State, attempt: int) -> dict[str, dict[str, Any]]:
    return {n: g for n, g in state.get("gates", {}).items() if g.get("attempt") == attempt}


def unusable(state: State) -> bool:
    validate = gates_of(state, state.get("attempt", 0)).get("validate", {})
    return any(f.get("rule_id") in UNUSABLE for f in validate.get("findings", []))


def attempts_left(state: State) -> bool:
    return state.get("attempt", 0) < (state.get("max_retries") or DEFAULT_MAX_RETRIES)


def retry_wanted(state: State) -> bool:
    """A gate that sends the architect back failed on this attempt, or the catalogue's attempt
    left details for a model to apply; and attempts are left."""
    gates = gates_of(state, state.get("attempt", 0))
    failed = any(gates.get(name, {}).get("status") == "failed" for name in RETRY_GATES)
    return (failed or bool(unread_pending(state))) and attempts_left(state)


def score(gates: dict[str, dict[str, Any]], broken: bool) -> list[int]:
    """Lower is better: an unusable answer, then failed gates, then error findings."""
    failed = [g for g in gates.values() if g.get("status") == "failed"]
    errors = sum(
        1 for g in failed for f in g.get("findings", []) if f.get("severity", "error") == "error"
    )
    return [int(broken), len(failed), errors]


def answered_by(state: State, attempt: int) -> dict[str, str]:
    calls = [c for c in state.get("calls", []) if c.get("node") == "architect"]
    if len(calls) < attempt:
        return {}
    call = calls[attempt - 1]
    return {"model": f"{call['backend']}:{call['model']}", "tier": call.get("tier") or ""}


def review(state: State) -> dict[str, Any]:
    attempt = state.get("attempt", 0)
    gates = gates_of(state, attempt)
    broken = unusable(state)
    failed = sorted(n for n, g in gates.items() if g.get("status") == "failed")
    entry = {
        "attempt": attempt,
        **answered_by(state, attempt),
        "gates": {n: g["status"] for n, g in gates.items()},
        "failed_gates": failed,
        "findings": sum(len(gates[n].get("findings", [])) for n in failed),
    }
    mine = score(gates, broken)
    best = state.get("best") or {}
    if not best or mine <= best["score"]:
        best = {"attempt": attempt, "score": mine, "files": state.get("files", {}), "gates": gates}
    update: dict[str, Any] = {"attempt_log": [entry], "best": best}
    if retry_wanted(state):
        return update
    update["shipped_attempt"] = best["attempt"]
    if best["attempt"] != attempt:
        update["files"] = best["files"]
        update["gates"] = best["gates"]
        update["repairs"] = [
            f"shipped attempt {best['attempt']} of {attempt}: it failed fewer gates than the last"
        ]
    return update

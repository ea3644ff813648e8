"""Architect (standard tier, or lightweight first for simple requests): write or revise the code."""

from __future__ import annotations

import re
from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext, context_of
from infragen.domain import GateResult
from infragen.feedback import build_feedback
from infragen.files import parse_files
from infragen.nodes.catalogue import catalogue_record, seed_if_covered
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


_BLOCK = re.compile(
    r'^(resource|data)\s+"([\w-]+)"\s+"([\w-]+)"|^(variable|output|module)\s+"([\w-]+)"', re.M
)


def declared(text: str) -> list[str]:
    """Addresses a file declares, names of one type grouped: `aws_vpc.main`,
    `aws_subnet.{private,public}`, `data.aws_region.current`, `var.{a,b}`, `output.y`."""
    groups: dict[str, list[str]] = {}
    for kind, rtype, rname, other, oname in _BLOCK.findall(text):
        if kind:
            groups.setdefault(f"{'data.' if kind == 'data' else ''}{rtype}", []).append(rname)
        else:
            groups.setdefault(
                {"variable": "var", "output": "output", "module": "module"}[other], []
            ).append(oname)
    return [
        f"{prefix}.{names[0]}" if len(names) == 1 else f"{prefix}.{{{','.join(names)}}}"
        for prefix, names in groups.items()
    ]


def files_to_revise(current: dict[str, str], failures: list[GateResult]) -> set[str] | None:
    """The files the findings point at, by file name or by the resource (type) they name; None
    when some finding cannot be placed, so the architect must see every file."""
    by_name = {path.rsplit("/", 1)[-1]: path for path in current}
    wanted: set[str] = set()
    for finding in (f for gate in failures for f in gate.findings if f.severity != "info"):
        if finding.file and finding.file.rsplit("/", 1)[-1] in by_name:
            wanted.add(by_name[finding.file.rsplit("/", 1)[-1]])
            continue
        types = [
            t.split(".")[0] if not t.startswith("data.") else t.split(".")[1]
            for t in re.split(r"[\s,]+", finding.resource or "")
            if t
        ]
        places = {
            path
            for path, text in current.items()
            for t in types
            if re.search(rf'^(resource|data)\s+"{re.escape(t)}"', text, re.M)
        }
        if finding.rule_id == "missing-resource":
            continue  # a missing resource goes in a new or existing file; the index names the rest
        if not places:
            return None
        wanted |= places
    return wanted


def revision_context(
    current: dict[str, str], failures: list[GateResult]
) -> tuple[dict[str, str], list[str]]:
    """What a revision sends: the files to fix in full, and one index line for each other file
    (the names the fix may reference). Retry input stays proportional to what failed."""
    wanted = files_to_revise(current, failures)
    if wanted is None:
        return current, []
    shown = {path: text for path, text in current.items() if path in wanted}
    index = [
        f"{path}: {', '.join(declared(text)) or '(no blocks)'}"
        for path, text in current.items()
        if path not in wanted
    ]
    return shown, index


def architect_tier(route: dict[str, Any], attempt: int) -> str | None:
    """Escalation: simple requests try the lightweight tier first and move to the task's
    standard tier once a gate has failed; everything else starts on the standard tier."""
    return "lightweight" if route.get("class") == "simple" and attempt == 1 else None


def architect(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = context_of(runtime)
    attempt = state.get("attempt", 0) + 1
    current = subset(state.get("files", {}), "terraform/")
    failures = failed_gates(state) if attempt > 1 else []
    feedback = build_feedback(attempt - 1, failures) if failures else ""
    shown, index = revision_context(current, failures) if failures else ({}, [])
    tier = architect_tier(state.get("route", {}), attempt)
    seed = seed_if_covered(state["plan"]) if attempt == 1 and ctx.settings.catalogue_first else None
    unknown = state["plan"]["spec"].get("unknown", [])
    if seed is not None and not unknown:
        ctx.emit("attempt", attempt=attempt, files=len(seed))
        return {
            "attempt": attempt,
            "tier": "catalogue",
            "files": seed,
            "feedback": "",
            "calls": [catalogue_record("architect")],
        }
    if seed is not None:  # the catalogue writes what it covers; the model writes only the rest
        current = seed
        index = [f"{path}: {', '.join(declared(text))}" for path, text in seed.items()]
    response = ask(
        ctx.model_router(),
        "architect",
        "architect",
        max_tokens=ctx.settings.max_tokens_for("architect"),
        payload={"plan": state["plan"], "files": current, "feedback": feedback},
        tier=tier,
        plan=compact_json(state["plan"]["components"]),
        files=shown,
        index=index,
        only=unknown if seed is not None else [],
        feedback=feedback,
    )
    revised = {f.path: f.content for f in parse_files(response.content)}
    cleaned, removed = strip_unsafe(revised)
    files = merge_revision(current, cleaned)
    ctx.emit("attempt", attempt=attempt, files=len(files))
    log = (
        [
            {
                "attempt": attempt - 1,
                "failed_gates": [g.name for g in failures],
                "findings": sum(len(g.findings) for g in failures),
            }
        ]
        if failures
        else []
    )
    return {
        "attempt": attempt,
        "attempt_log": log,
        "tier": tier or "standard",
        "files": files,
        "feedback": feedback,
        "repairs": removed,
        "calls": [call_record("architect", response)],
    }

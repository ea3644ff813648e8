"""Architect (standard tier, or lightweight first for simple requests): write or revise the code.

The model sees the request (as untrusted data), every detail the clarifier read, the plan and the
resource types the completeness gate will enforce; on a retry, the files the findings point at
and an index of every block in the others. Its answer is read in whatever shape it comes
(`infragen.files.extract_files`); what cannot be used becomes a finding for the next attempt.
"""

from __future__ import annotations

import re
from typing import Any

from langgraph.runtime import Runtime

from infragen.blueprints.render import aws_facts, aws_target
from infragen.context import RunContext, context_of
from infragen.domain import GateResult, Plan
from infragen.feedback import build_feedback
from infragen.files import Extraction, extract_files, headers, without_redeclared
from infragen.gates import RETRY_GATES
from infragen.models.base import ChatResponse
from infragen.nodes.catalogue import (
    catalogue_record,
    details_feedback,
    files_for_details,
    seed_if_covered,
    unread_pending,
)
from infragen.prompting import ask, call_record, compact_json
from infragen.safety import strip_unsafe
from infragen.state import State
from infragen.tools.hcl import matching_brace
from infragen.workspace import subset


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


_DECLARATION = re.compile(
    r'^(resource|data)\s+"([\w-]+)"\s+"([\w-]+)"|^(variable|output|module|provider)\s+"([\w-]+)"'
    r"|^(locals|terraform)\s*\{",
    re.M,
)
_LOCAL_NAME = re.compile(r"^[ \t]+([A-Za-z_][\w-]*)\s*=", re.M)


def declared(text: str) -> list[str]:
    """Addresses a file declares, names of one type grouped: `aws_vpc.main`,
    `aws_subnet.{private,public}`, `data.aws_region.current`, `var.{a,b}`, `output.y`,
    `provider.aws`, `local.{name,tags}`, `terraform`: every block a revision may reference."""
    groups: dict[str, list[str]] = {}
    for m in _DECLARATION.finditer(text):
        kind, rtype, rname, other, oname, bare = m.groups()
        if kind:
            groups.setdefault(f"{'data.' if kind == 'data' else ''}{rtype}", []).append(rname)
        elif other:
            prefix = {"variable": "var", "output": "output", "module": "module"}.get(other, other)
            groups.setdefault(prefix, []).append(oname)
        elif bare == "terraform":
            groups.setdefault("terraform", [])
        else:
            close = matching_brace(text, m.end() - 1)
            body = text[m.end() : close if close is not None else len(text)]
            names = [n for n in _LOCAL_NAME.findall(body)]
            groups.setdefault("local", []).extend(dict.fromkeys(names))
    return [
        prefix
        if not names
        else f"{prefix}.{names[0]}"
        if len(names) == 1
        else f"{prefix}.{{{','.join(names)}}}"
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
        if finding.rule_id in ("missing-resource", *ANSWER_RULES):
            continue  # new code goes in a new or existing file; the index names the rest
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
    return shown, index_lines({p: t for p, t in current.items() if p not in wanted})


def index_lines(files: dict[str, str]) -> list[str]:
    return [f"{path}: {', '.join(declared(text)) or '(empty)'}" for path, text in files.items()]


def architect_tier(route: dict[str, Any], attempt: int) -> str | None:
    """Escalation: simple requests try the lightweight tier first and move to the task's
    standard tier once a gate has failed; everything else starts on the standard tier."""
    return "lightweight" if route.get("class") == "simple" and attempt == 1 else None


# Findings about the answer itself, not the code: the attempt goes straight back to the model.
ANSWER_RULES = ("answer-empty", "answer-no-code", "answer-cut")


def answer_findings(
    response: ChatResponse, extraction: Extraction, max_tokens: int
) -> list[dict[str, str]]:
    """What was wrong with the answer as an answer, worded as the fix the model should make."""
    problems = []
    if not response.content.strip():
        problems.append(
            {"rule_id": "answer-empty", "message": "your answer was empty; reply with the files"}
        )
    elif extraction.cut:
        problems.append(
            {
                "rule_id": "answer-cut",
                "message": f"your answer was cut at {max_tokens} tokens in "
                f"{', '.join(extraction.cut)} (dropped); send only the files that are missing "
                "or changed, each complete",
            }
        )
    elif not extraction.files:
        problems.append(
            {
                "rule_id": "answer-no-code",
                "message": "no Terraform found in your answer; reply with the files, each as "
                "<<<FILE terraform/NAME.tf>>> ... <<<END>>>",
            }
        )
    return problems


def protect_vetted(
    revised: dict[str, str], current: dict[str, str], vetted: set[str], editable: set[str]
) -> tuple[dict[str, str], list[str]]:
    """Vetted catalogue files are read-only to the model unless a finding points into them: a
    rewrite of one keeps only its new blocks, saved beside it under another name."""
    locked = vetted - editable
    taken = {a for path in vetted for a in headers(current.get(path, ""))}
    if any(re.search(r"^terraform\s*\{", current.get(p, ""), re.M) for p in vetted):
        taken.add("terraform")
    safe, notes = {}, []
    for path, text in revised.items():
        if path not in locked:
            safe[path] = text
            continue
        rest, dropped = without_redeclared(text, taken)
        stem = path.removesuffix(".tf")
        target = next(f"{stem}_{n}.tf" for n in range(2, 99) if f"{stem}_{n}.tf" not in current)
        notes.append(
            f"{path} is vetted catalogue code and was kept as it was; "
            + (f"your new blocks went to {target}" if rest.strip() else "your copy was dropped")
            + (
                f" (blocks the catalogue already declares were dropped: {', '.join(dropped)})"
                if dropped
                else ""
            )
        )
        if rest.strip():
            safe[target] = rest
    return safe, notes


def request_details(plan: Plan) -> str:
    """Every detail the clarifier read, as compact JSON, less what travels apart: the request
    text, the components (the plan) and the assumptions (defaults, the catalogue's concern)."""
    spec = plan.spec.model_dump(exclude={"request", "questions", "assumptions", "components"})
    return compact_json({k: v for k, v in spec.items() if v not in ([], {}, "", None)})


def architect(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = context_of(runtime)
    attempt = state.get("attempt", 0) + 1
    plan = Plan.model_validate(state["plan"])
    current = subset(state.get("files", {}), "terraform/")
    vetted = set(state.get("vetted", []))
    failures = failed_gates(state) if attempt > 1 else []
    feedback = build_feedback(attempt - 1, failures) if failures else ""
    if feedback and (notes := (state.get("answer") or {}).get("notes")):
        # said even when the validate gate passed: stripped code would come back every attempt
        feedback += "\n\n## your last answer was changed\n" + "\n".join(f"- {n}" for n in notes)
    shown, index = revision_context(current, failures) if failures else ({}, [])
    if unread := unread_pending(state):  # the catalogue's attempt passed; the model adds details
        wanted = files_for_details(current, unread)
        shown = {p: t for p, t in current.items() if p in wanted}
        index = index_lines({p: t for p, t in current.items() if p not in wanted})
        feedback = "\n\n".join(f for f in (feedback, details_feedback(unread)) if f)
    editable = set(shown)  # the files a finding points at (every file when one cannot be placed)
    tier = architect_tier(state.get("route", {}), attempt)
    aws_major = aws_target(ctx.settings.aws_provider)
    seed = (
        seed_if_covered(state["plan"], aws_major)
        if attempt == 1 and ctx.settings.catalogue_first
        else None
    )
    unknown = plan.spec.unknown
    if seed is not None and not unknown:
        ctx.emit("attempt", attempt=attempt, files=len(seed))
        return {
            "attempt": attempt,
            "tier": "catalogue",
            "files": seed,
            "vetted": sorted(seed),
            "feedback": "",
            "answer": {"attempt": attempt, "problems": [], "notes": []},
            "calls": [catalogue_record("architect")],
        }
    if seed is not None:  # the catalogue writes what it covers; the model writes only the rest
        current, vetted = seed, set(seed)
        index = index_lines(seed)
    max_tokens = ctx.settings.max_tokens_for("architect")
    response = ask(
        ctx.model_router(),
        "architect",
        "architect",
        max_tokens=max_tokens,
        payload={
            "plan": state["plan"],
            "files": current,
            "feedback": feedback,
            "aws_major": aws_major,
        },
        tier=tier,
        request=plan.spec.request.replace("</request>", "< /request>"),
        aws_pin=aws_facts(aws_major)["constraint"],
        details=request_details(plan),
        plan=compact_json([c.model_dump() for c in plan.components]),
        # a revision hears what is missing from the completeness gate's findings instead
        expected=[] if failures or unread else sorted({e.type for e in plan.expected}),
        files=shown,
        index=index,
        only=unknown if seed is not None else [],
        feedback=feedback,
    )
    extraction = extract_files(response.content, truncated=response.finish_reason == "length")
    revised = {f.path: f.content for f in extraction.files if f.path.startswith("terraform/")}
    revised, kept = protect_vetted(revised, current, vetted, editable)
    cleaned, removed = strip_unsafe(revised)
    files = merge_revision(current, cleaned)
    notes = [
        *kept,
        *(f"{r}: do not use provisioners or the external data source" for r in removed),
        *extraction.refused,
        *extraction.skipped,
    ]
    ctx.emit("attempt", attempt=attempt, files=len(files))
    return {
        "attempt": attempt,
        "tier": response.tier or tier or "standard",
        "files": files,
        "vetted": sorted(vetted),
        "feedback": feedback,
        "repairs": removed,
        "answer": {
            "attempt": attempt,
            "problems": answer_findings(response, extraction, max_tokens),
            "notes": notes,
        },
        "calls": [call_record("architect", response)],
    }

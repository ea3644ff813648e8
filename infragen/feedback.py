"""What the architect hears after a failed attempt: every validation diagnostic (deduplicated,
warnings included), every missing component, and the top five security violations grouped by check."""

from __future__ import annotations

from collections import OrderedDict

from infragen.domain import Finding, GateResult
from infragen.prompting import render_text

MAX_SECURITY_GROUPS = 5
MAX_RESOURCES_PER_GROUP = 2


def _where(f: Finding) -> str:
    place = f.file or ""
    if f.line:
        place += f":{f.line}"
    subject = f.resource or ""
    return ", ".join(p for p in (subject, place) if p)


def diagnostic_lines(findings: list[Finding]) -> list[str]:
    """One line per distinct diagnostic; the same message at several places is listed once."""
    grouped: OrderedDict[tuple[str, str, str], list[str]] = OrderedDict()
    for f in findings:
        key = (f.severity, f.rule_id, f.message)
        where = _where(f)
        places = grouped.setdefault(key, [])
        if where and where not in places:
            places.append(where)
    lines = []
    for (severity, rule_id, message), places in grouped.items():
        head = f"{severity}{f' {rule_id}' if rule_id else ''}: {message}"
        lines.append(f"{head} [{'; '.join(places)}]" if places else head)
    return lines


def security_lines(findings: list[Finding]) -> list[str]:
    """Top violations grouped by check id, most frequent first, capped at five groups."""
    groups: OrderedDict[str, list[Finding]] = OrderedDict()
    for f in findings:
        groups.setdefault(f.rule_id or f.message, []).append(f)
    ranked = sorted(groups.items(), key=lambda item: -len(item[1]))[:MAX_SECURITY_GROUPS]
    lines = []
    for rule_id, items in ranked:
        resources = sorted({_where(f) for f in items})
        more = len(resources) - MAX_RESOURCES_PER_GROUP
        shown = "; ".join(resources[:MAX_RESOURCES_PER_GROUP]) + (
            f"; +{more} more" if more > 0 else ""
        )
        lines.append(f"{rule_id} x{len(items)}: {items[0].message} [{shown}]")
    return lines


def build_feedback(attempt: int, gates: list[GateResult]) -> str:
    sections = []
    for gate in gates:
        if gate.status != "failed":
            continue
        if gate.name == "security":
            lines = security_lines(gate.findings)
        else:
            lines = diagnostic_lines(gate.findings) or [gate.reason or "failed"]
        sections.append({"name": gate.name, "engine": gate.engine, "lines": lines})
    if not sections:
        return ""
    return render_text("feedback", attempt=attempt, gates=sections)

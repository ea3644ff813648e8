"""The run report: one dict (report.json, `--format json`) and its Markdown rendering (REPORT.md)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from infragen.gates import order_key


def unread_deviations(state: dict[str, Any]) -> list[dict[str, str]]:
    """What became of each unread detail: left to the model's shipped attempt (which no gate can
    check against the detail), or not built because the model's change did not ship."""
    unread = (state.get("spec") or {}).get("unread", [])
    if not unread:
        return []
    shipped = state.get("shipped_attempt") or state.get("attempt", 0)
    entry = next((e for e in state.get("attempt_log", []) if e.get("attempt") == shipped), {})
    model = entry.get("model", "")
    if model and not model.startswith("offline:"):
        built = f"left to the architect model ({model}), attempt {shipped}"
        why = "the offline parser could not read it, so no gate checks the change against it"
    elif len(state.get("attempt_log", [])) > 1:
        built = ""
        why = "the offline parser could not read it, and the model's change failed the gates"
    else:
        built = ""
        why = "the offline parser could not read it, and no attempt was left for a model"
    return [{"asked": p, "built": built, "why": why} for p in unread]


def overall_status(gates: dict[str, dict[str, Any]], refusal: str | None, error: str | None) -> str:
    if error:
        return "error"
    if refusal:
        return "refused"
    return "failed" if any(g["status"] == "failed" for g in gates.values()) else "passed"


def usage_summary(calls: list[dict[str, Any]]) -> dict[str, Any]:
    by_node: dict[str, int] = defaultdict(int)
    by_model: dict[str, int] = defaultdict(int)
    for c in calls:
        by_node[c["node"]] += c["total_tokens"]
        by_model[f"{c['backend']}:{c['model']}"] += c["total_tokens"]
    return {
        "total_tokens": sum(c["total_tokens"] for c in calls),
        "prompt_tokens": sum(c["prompt_tokens"] for c in calls),
        "completion_tokens": sum(c["completion_tokens"] for c in calls),
        "calls": len(calls),
        "cache_hits": sum(1 for c in calls if c["cached"]),
        "by_node": dict(by_node),
        "by_model": dict(by_model),
    }


def models_used(calls: list[dict[str, Any]]) -> dict[str, str]:
    return {c["node"]: f"{c['backend']}:{c['model']}" for c in calls}


def fallbacks(calls: list[dict[str, Any]]) -> list[str]:
    """Models the run wanted but could not use, grouped by why: a pinned model with no key would
    otherwise fall back to the offline backend without a word."""
    by_reason: dict[str, list[str]] = {}
    for call in calls:
        if call.get("unusable"):  # answered, but not in a shape the node could use
            reason = f"unusable answer ({call['unusable'][:100]})"
            by_reason.setdefault(reason, []).append(f"{call['backend']}:{call['model']}")
        for a in call.get("attempts", []):
            if a.get("outcome") == "ok":
                continue
            reason = (
                " - ".join(x for x in (a.get("error_class"), a.get("detail")) if x) or a["outcome"]
            )
            models = by_reason.setdefault(f"{a['outcome']} ({reason})", [])
            if f"{a['backend']}:{a['model']}" not in models:
                models.append(f"{a['backend']}:{a['model']}")
    return [f"{', '.join(models)} {reason}" for reason, models in by_reason.items()]


def shipped_tier(state: dict[str, Any]) -> str | None:
    """The tier of the model that wrote the shipped attempt (the catalogue's, or the tier of the
    chain link that really answered, never the tier that was only asked for)."""
    shipped = state.get("shipped_attempt")
    for entry in state.get("attempt_log", []):
        if entry.get("attempt") == shipped and entry.get("tier"):
            return entry["tier"]
    return state.get("tier")


def build_report(
    state: dict[str, Any],
    *,
    output_dir: str | None,
    run_id: str,
    error: str | None = None,
    failed_step: str | None = None,
) -> dict[str, Any]:
    gates = {
        name: {k: v for k, v in g.items() if k != "attempt"}
        for name, g in sorted(
            state.get("gates", {}).items(),
            key=lambda kv: order_key(kv[0]),
        )
    }
    calls = state.get("calls", [])
    spec = state.get("spec") or {}
    report = {
        "status": overall_status(gates, state.get("refusal"), error),
        "run_id": run_id,
        "request": state.get("request", ""),
        "output_dir": output_dir,
        "files": sorted(state.get("files", {})),
        "attempts": state.get("attempt", 0),
        "gates": gates,
        "cost": state.get("cost") or {},
        "usage": usage_summary(calls),
        "models": models_used(calls),
        "shipped_attempt": state.get("shipped_attempt") or state.get("attempt", 0),
        "attempt_log": state.get("attempt_log", []),
        "route": {**state.get("route", {}), "architect_tier": shipped_tier(state)},
        "repairs": state.get("repairs", []),
        "assumptions": spec.get("assumptions", []),
        # details asked for and not built as asked: {asked, built, why}, never dropped in silence
        "deviations": [*spec.get("deviations", []), *unread_deviations(state)],
        "plan_notes": (state.get("plan") or {}).get("notes", []),
        "inventory": state.get("inventory", {}),
        "fallbacks": fallbacks(calls),
    }
    if state.get("refusal"):
        report["refusal"] = state["refusal"]
    if error:
        report["error"] = error
        report["failed_step"] = failed_step
    return report


def _gate_line(name: str, gate: dict[str, Any]) -> str:
    mark = {"passed": "✅", "failed": "❌", "skipped": "⏭️"}.get(gate["status"], "?")
    detail = gate.get("engine") or ""
    if gate.get("reason"):
        detail += f" — {gate['reason']}" if detail else gate["reason"]
    n = len(gate.get("findings", []))
    return f"| {name} | {mark} {gate['status']} | {n} | {detail} |"


def render_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# infragen report: {report['request']}",
        "",
        f"**Status:** {report['status']} · **attempts:** {report['attempts']} · "
        f"**tokens:** {report['usage']['total_tokens']} · **run:** `{report['run_id']}`",
        "",
    ]
    if report.get("refusal"):
        lines += [f"Refused: {report['refusal']}", ""]
    if report.get("error"):
        lines += [f"Error in step `{report.get('failed_step')}`: {report['error']}", ""]
    if report["gates"]:
        lines += [
            "## Gates",
            "",
            "| gate | status | findings | engine / note |",
            "|---|---|---|---|",
        ]
        lines += [_gate_line(name, g) for name, g in report["gates"].items()]
        lines.append("")
    failing = [
        (n, f) for n, g in report["gates"].items() if g["status"] == "failed" for f in g["findings"]
    ]
    if failing:
        lines += ["## Findings", ""]
        for name, f in failing[:50]:
            where = f":{f['line']}" if f.get("line") else ""
            lines.append(
                f"- **{name}** `{f.get('rule_id') or '-'}` {f['message']} ({f.get('resource') or ''} {f.get('file') or ''}{where})"
            )
        lines.append("")
    cost = report.get("cost") or {}
    if cost:
        lines += [
            f"## Cost: ${cost.get('monthly_usd', 0):,.2f}/month ({cost.get('source', '')})",
            "",
        ]
        lines += ["| resource | monthly USD | detail |", "|---|---:|---|"]
        for line in cost.get("lines", []):
            usd = "n/a" if line.get("monthly_usd") is None else f"{line['monthly_usd']:,.2f}"
            lines.append(f"| {line['resource']} | {usd} | {line.get('detail', '')} |")
        if cost.get("unpriced"):
            lines.append(f"\nUnpriced: {', '.join(cost['unpriced'])}")
        for a in cost.get("assumptions", []):
            lines.append(f"- {a}")
        lines.append("")
    if report.get("deviations"):
        lines += [
            "## Asked for, not built as asked",
            "",
            "| asked | built | why |",
            "|---|---|---|",
        ]
        lines += [
            f"| {d.get('asked', '')} | {d.get('built') or '(nothing)'} | {d.get('why', '')} |"
            for d in report["deviations"]
        ] + [""]
    if report.get("plan_notes"):
        lines += ["## Why the plan holds what it holds", ""]
        lines += [f"- {n}" for n in report["plan_notes"]] + [""]
    if report.get("assumptions"):
        lines += ["## Assumptions", ""] + [f"- {a}" for a in report["assumptions"]] + [""]
    if report.get("repairs"):
        lines += ["## Automatic repairs", ""] + [f"- {r}" for r in report["repairs"]] + [""]
    if report["files"]:
        lines += ["## Files", ""] + [f"- `{p}`" for p in report["files"]] + [""]
    lines += ["## Models", ""] + [f"- {node}: {m}" for node, m in report["models"].items()]
    return "\n".join(lines) + "\n"

"""SARIF 2.1.0 from gate results, so CI systems (GitHub code scanning and others) show findings inline.

Each gate is one SARIF run with its own tool driver, because gates are different tools (Terraform,
Checkov, ansible-playbook) and SARIF ties rules to the tool that defines them. What GitHub's upload
requires holds for every log: one run per tool, each with its own `automationDetails` category,
however many roots were checked; a location on every result (a finding about a whole root, such
as its cost, points at the root's first file); suppressed findings carry `suppressions`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from infragen import __version__ as infragen_version
from infragen.domain import Finding, GateResult
from infragen.gates import BY_ID

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SUPPRESSED = "suppressed in code: "  # message prefix of a finding an inline skip comment silenced


def _gates(source: Iterable[GateResult] | Mapping[str, Any]) -> list[GateResult]:
    """Accept gate results, or a run report whose `gates` maps names to dumped GateResults."""
    if isinstance(source, Mapping):
        gates = source.get("gates", source)
        return [
            g if isinstance(g, GateResult) else GateResult.model_validate(g) for g in gates.values()
        ]
    return list(source)


def _rule_id(finding: Finding) -> str:
    return finding.rule_id or f"{finding.gate}-finding"


def project_roots(report: Mapping[str, Any]) -> dict[str, str]:
    """Where the report's terraform/ and ansible/ files live on disk: `roots` for `infragen
    check` (a bare .tf directory is its own terraform/), else under the output directory."""
    if report.get("roots"):
        return dict(report["roots"])
    out = report.get("output_dir")
    return {"terraform": f"{out}/terraform", "ansible": f"{out}/ansible"} if out else {}


def artifact_uri(file: str, gate: str, roots: Mapping[str, str]) -> str:
    """One path convention for every gate: relative to the working directory (the repository
    root in CI) when the file lies under it. Gates report `terraform/main.tf`, `main.tf` or
    `/main.tf`; a bare name belongs to the gate's own tree."""
    name = file.lstrip("/")
    top, _, rest = name.partition("/")
    kind, relative = (
        (top, rest)
        if top in ("terraform", "ansible") and rest
        else ("ansible" if gate == "ansible" else "terraform", name)
    )
    if kind not in roots:
        return f"{kind}/{relative}"
    path = Path(roots[kind], relative).resolve()
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _result(finding: Finding, rule_index: int, uri: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": _rule_id(finding),
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
    }
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if finding.line and finding.line > 0:
        physical["region"] = {"startLine": finding.line}
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.resource:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.resource}]
    result["locations"] = [location]
    if finding.message.startswith(SUPPRESSED):
        reason = finding.message.rsplit(" (", 1)[1].rstrip(")") if " (" in finding.message else ""
        result["suppressions"] = [{"kind": "inSource", "justification": reason or "skip comment"}]
    return result


def _fallback_file(report: Mapping[str, Any], gate: str) -> str:
    """Where a finding without a file points: the root's first file of the gate's kind."""
    kind = "ansible/" if gate == "ansible" else "terraform/"
    files = [f for f in report.get("files", []) if f.startswith(kind)] or list(
        report.get("files", [])
    )
    return files[0] if files else "main.tf"


def _run(name: str, entries: list[tuple[GateResult, Mapping[str, Any]]]) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for gate, report in entries:
        roots = project_roots(report) if "gates" in report else {}
        for f in gate.findings:
            rid = _rule_id(f)
            if rid not in index:
                index[rid] = len(rules)
                rule: dict[str, Any] = {
                    "id": rid,
                    "shortDescription": {"text": f.message.split(": ")[0][:200] or rid},
                }
                if f.guideline:
                    rule["helpUri"] = f.guideline
                rules.append(rule)
            file = f.file or _fallback_file(report, name)
            results.append(_result(f, index[rid], artifact_uri(file, name, roots)))
    engines = sorted({g.engine for g, _ in entries if g.engine})
    driver: dict[str, Any] = {
        "name": f"infragen/{name}",
        "version": infragen_version,
        "informationUri": "https://github.com/infragen/infragen",
        "rules": rules,
    }
    if engines:
        driver["fullName"] = f"{name} via {'; '.join(engines)}"
    if name in BY_ID:
        driver["shortDescription"] = {"text": BY_ID[name].title}
    statuses = [g.status for g, _ in entries]
    return {
        "tool": {"driver": driver},
        "automationDetails": {"id": f"infragen/{name}/"},
        "invocations": [
            {
                "executionSuccessful": all(
                    g.status != "failed" or bool(g.findings) for g, _ in entries
                ),
                "properties": {
                    "status": "failed" if "failed" in statuses else statuses[0],
                    "reason": "; ".join(dict.fromkeys(g.reason for g, _ in entries if g.reason)),
                    "durationSeconds": round(sum(g.duration_s for g, _ in entries), 3),
                },
            }
        ],
        "results": results,
    }


def to_sarif(source: Iterable[GateResult] | Mapping[str, Any]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run per gate (skipped gates included: their reason is kept)."""
    report = source if isinstance(source, Mapping) and "gates" in source else {}
    return sarif_log([(g, report) for g in _gates(source)])


def reports_to_sarif(reports: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """One SARIF log for many checked roots: still one run per gate."""
    return sarif_log([(g, r) for r in reports for g in _gates(r)])


def sarif_log(entries: list[tuple[GateResult, Mapping[str, Any]]]) -> dict[str, Any]:
    by_gate: dict[str, list[tuple[GateResult, Mapping[str, Any]]]] = {}
    for gate, report in entries:
        by_gate.setdefault(gate.name, []).append((gate, report))
    return {
        "$schema": SCHEMA_URI,
        "version": VERSION,
        "runs": [_run(name, group) for name, group in by_gate.items()],
    }

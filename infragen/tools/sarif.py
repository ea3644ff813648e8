"""SARIF 2.1.0 from gate results, so CI systems (GitHub code scanning and others) show findings inline.

Each gate is one SARIF run with its own tool driver, because gates are different tools (Terraform,
Checkov, ansible-playbook) and SARIF ties rules to the tool that defines them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from infragen import __version__ as infragen_version
from infragen.domain import Finding, GateResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


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


def _result(finding: Finding, rule_index: int, uri: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": _rule_id(finding),
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
    }
    if finding.file:
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri or finding.file}}
        if finding.line and finding.line > 0:
            physical["region"] = {"startLine": finding.line}
        location: dict[str, Any] = {"physicalLocation": physical}
        if finding.resource:
            location["logicalLocations"] = [{"fullyQualifiedName": finding.resource}]
        result["locations"] = [location]
    return result


def _run(gate: GateResult, roots: Mapping[str, str]) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
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
    driver: dict[str, Any] = {
        "name": f"infragen/{gate.name}",
        "version": infragen_version,
        "rules": rules,
    }
    if gate.engine:
        driver["fullName"] = f"{gate.name} via {gate.engine}"
    return {
        "tool": {"driver": driver},
        "invocations": [
            {
                "executionSuccessful": gate.status != "failed" or bool(gate.findings),
                "properties": {
                    "status": gate.status,
                    "reason": gate.reason,
                    "durationSeconds": gate.duration_s,
                },
            }
        ],
        "results": [
            _result(
                f, index[_rule_id(f)], artifact_uri(f.file, gate.name, roots) if f.file else None
            )
            for f in gate.findings
        ],
    }


def to_sarif(source: Iterable[GateResult] | Mapping[str, Any]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run per gate (skipped gates included: their reason is kept)."""
    roots = project_roots(source) if isinstance(source, Mapping) and "gates" in source else {}
    return {
        "$schema": SCHEMA_URI,
        "version": VERSION,
        "runs": [_run(g, roots) for g in _gates(source)],
    }

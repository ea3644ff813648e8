"""SARIF 2.1.0 from gate results, so CI systems (GitHub code scanning and others) show findings inline.

Each gate is one SARIF run with its own tool driver, because gates are different tools (Terraform,
Checkov, ansible-playbook) and SARIF ties rules to the tool that defines them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": _rule_id(finding),
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
    }
    if finding.file:
        physical: dict[str, Any] = {
            "artifactLocation": {"uri": finding.file, "uriBaseId": "SRCROOT"}
        }
        if finding.line and finding.line > 0:
            physical["region"] = {"startLine": finding.line}
        location: dict[str, Any] = {"physicalLocation": physical}
        if finding.resource:
            location["logicalLocations"] = [{"fullyQualifiedName": finding.resource}]
        result["locations"] = [location]
    return result


def _run(gate: GateResult) -> dict[str, Any]:
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
        "originalUriBaseIds": {
            "SRCROOT": {"description": {"text": "the generated project's directory"}}
        },
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
        "results": [_result(f, index[_rule_id(f)]) for f in gate.findings],
    }


def to_sarif(source: Iterable[GateResult] | Mapping[str, Any]) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run per gate (skipped gates included: their reason is kept)."""
    return {"$schema": SCHEMA_URI, "version": VERSION, "runs": [_run(g) for g in _gates(source)]}

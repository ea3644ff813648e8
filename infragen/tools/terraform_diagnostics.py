"""Turn Terraform's output (validate JSON, init JSON lines, fmt diffs and text errors) into Findings.

Every diagnostic becomes a Finding, warnings (deprecations) included, with the file and line
Terraform gave, because the architect fixes what it is told about and nothing else.
"""

from __future__ import annotations

import json
import re
from typing import Any

from infragen.domain import Finding

_TEXT_DIAGNOSTIC = re.compile(
    r"^(?P<level>Error|Warning): (?P<summary>.+?)\n\n"
    r"(?:\s+on (?P<file>\S+) line (?P<line>\d+)(?:, in (?P<context>[^:\n]+))?:\n(?:\s*\d+:.*\n)*\n?)?"
    r"(?P<detail>(?:.+\n?)*)",
    re.MULTILINE,
)
_PREAMBLES = ("Terraform encountered problems during initialisation",)
_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@")


def diagnostic_to_finding(diag: dict[str, Any], gate: str) -> Finding:
    """One entry of Terraform's `diagnostics` array (validate -json, or an init/plan JSON event)."""
    summary = str(diag.get("summary", "")).strip()
    detail = str(diag.get("detail", "")).strip()
    rng = diag.get("range") or {}
    snippet = diag.get("snippet") or {}
    severity = "warning" if diag.get("severity") == "warning" else "error"
    if summary.startswith(_PREAMBLES):
        severity = "info"  # a heading for the diagnostics that follow, not a problem of its own
    return Finding(
        gate=gate,
        rule_id=summary,
        severity=severity,
        message=f"{summary}: {detail}" if detail else summary,
        file=rng.get("filename"),
        line=(rng.get("start") or {}).get("line"),
        resource=snippet.get("context"),
    )


def parse_validate_json(stdout: str, gate: str) -> list[Finding]:
    """`terraform validate -json` prints one JSON document."""
    try:
        doc = json.loads(stdout)
    except json.JSONDecodeError:
        return []
    return [diagnostic_to_finding(d, gate) for d in doc.get("diagnostics", [])]


def parse_json_lines(stdout: str, gate: str) -> list[Finding]:
    """`terraform init -json` / `plan -json` stream one JSON event per line; keep the diagnostics."""
    findings = []
    for line in stdout.splitlines():
        if not line.startswith("{"):
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if event.get("type") == "diagnostic" and isinstance(event.get("diagnostic"), dict):
            findings.append(diagnostic_to_finding(event["diagnostic"], gate))
    return findings


def change_summary(stdout: str) -> str:
    """The `Plan: N to add, ...` message of a `plan -json` stream, or "" when there is none."""
    for line in stdout.splitlines():
        if '"change_summary"' in line:
            try:
                return str(json.loads(line).get("@message", ""))
            except json.JSONDecodeError:
                continue
    return ""


def parse_text_diagnostics(text: str, gate: str) -> list[Finding]:
    """Human-format diagnostics (`fmt` has no -json): `Error: summary` / `on file line N` / detail."""
    findings = []
    for m in _TEXT_DIAGNOSTIC.finditer(text):
        summary = m["summary"].strip()
        detail = " ".join(m["detail"].split())
        findings.append(
            Finding(
                gate=gate,
                rule_id=summary,
                severity="warning" if m["level"] == "Warning" else "error",
                message=f"{summary}: {detail}" if detail else summary,
                file=m["file"],
                line=int(m["line"]) if m["line"] else None,
                resource=m["context"],
            )
        )
    return findings


def parse_fmt_diff(stdout: str, gate: str) -> list[Finding]:
    """One warning per changed block of `terraform fmt -diff`, at the block's line in the old file."""
    findings: list[Finding] = []
    file: str | None = None
    old_line = 0
    block: tuple[int, str, str] | None = None  # (line, first old text, first new text)

    def close_block() -> None:
        nonlocal block
        if block and file:
            line, old, new = block
            findings.append(
                Finding(
                    gate=gate,
                    rule_id="terraform-fmt",
                    severity="warning",
                    message=f"not in canonical format: `{old.rstrip()}` should read `{new.rstrip()}`"
                    if old.strip()
                    else f"not in canonical format: expected `{new.rstrip()}` here",
                    file=file,
                    line=line,
                )
            )
        block = None

    for raw in stdout.splitlines():
        if raw.startswith("--- old/"):
            close_block()
            file = raw[len("--- old/") :]
        elif raw.startswith("+++ "):
            continue
        elif hunk := _HUNK.match(raw):
            close_block()
            old_line = int(hunk.group(1))
        elif raw.startswith("-"):
            if block is None:
                block = (old_line, raw[1:], "")
            old_line += 1
        elif raw.startswith("+"):
            if block is None:
                block = (old_line, "", raw[1:])
            elif not block[2]:
                block = (block[0], block[1], raw[1:])
        elif raw.startswith(" "):
            close_block()
            old_line += 1
        else:
            close_block()  # a bare file name (-list) starts the next file
    close_block()
    return findings

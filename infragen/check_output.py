"""How `infragen check` prints its reports: text (a summary table, then every finding with its
file and line), JSON (one document whatever the number of roots), Markdown, SARIF and JUnit XML."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

FORMATS = ("text", "json", "markdown", "sarif", "junit")
_SEVERITY = {"error": "ERROR", "warning": "WARN", "info": "INFO"}


def display_path(report: dict[str, Any], gate: str, file: str | None) -> str:
    """The finding's file as a path that exists, relative to the working directory when under it."""
    if not file:
        return report["roots"]["terraform"] if report.get("roots") else "-"
    kind = "ansible" if gate == "ansible" or file.startswith("ansible/") else "terraform"
    name = file.removeprefix(f"{kind}/").lstrip("/")
    base = (report.get("roots") or {}).get(kind, report.get("output_dir") or ".")
    path = Path(os.path.normpath(Path(base) / name))
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def finding_lines(report: dict[str, Any], *, failures_only: bool, verbose: bool) -> list[str]:
    lines = []
    for name, gate in report["gates"].items():
        if failures_only and gate["status"] != "failed":
            continue
        for f in gate.get("findings", []):
            if f["severity"] == "info" and not verbose:
                continue
            if failures_only and f["severity"] != "error":
                continue
            where = display_path(report, name, f.get("file"))
            if f.get("line"):
                where += f":{f['line']}"
            rule = f.get("rule_id") or "-"
            lines.append(f"  {_SEVERITY[f['severity']]:5} {name:8} {rule}  {where}  {f['message']}")
    return lines


def render_text(reports: list[dict[str, Any]], *, quiet: bool, verbose: bool, plain: bool) -> str:
    """`-q`: only the roots that fail, their failing gates and error findings."""
    from rich.console import Console

    from infragen.console import print_summary

    chunks = []
    for report in reports:
        if quiet:
            if report["status"] != "failed":
                continue
            failed = [n for n, g in report["gates"].items() if g["status"] == "failed"]
            chunks.append(f"FAILED {report['request']} ({', '.join(failed)})")
        else:
            console = Console(color_system=None if plain else "auto", highlight=False, width=120)
            with console.capture() as captured:
                print_summary(report, console)
            chunks.append(captured.get().rstrip("\n"))
        chunks += finding_lines(report, failures_only=quiet, verbose=verbose)
    if quiet and chunks:  # silent when everything passed
        chunks.append(quiet_summary(reports))
    return "\n".join(chunks)


def quiet_summary(reports: list[dict[str, Any]]) -> str:
    """`-q`'s last line under the failures (what the pre-commit hook shows)."""
    roots = f"{len(reports)} root{'s' if len(reports) != 1 else ''}"
    failed = [r for r in reports if r["status"] == "failed"]
    errors = sum(
        f["severity"] == "error"
        for r in failed
        for g in r["gates"].values()
        if g["status"] == "failed"
        for f in g.get("findings", [])
    )
    return f"infragen check: {len(failed)} of {roots} failed, {errors} failing finding(s)"


def render_json(reports: list[dict[str, Any]], exit_code: int) -> str:
    """One report as itself; several as {"status", "exit_code", "reports": [...]}."""
    if len(reports) == 1:
        return json.dumps(reports[0], indent=2, default=str)
    status = "failed" if any(r["status"] == "failed" for r in reports) else "passed"
    doc = {"status": status, "exit_code": exit_code, "reports": reports}
    return json.dumps(doc, indent=2, default=str)


def render_markdown(reports: list[dict[str, Any]]) -> str:
    from infragen.report import render_markdown as one

    return "\n".join(one(r) for r in reports).rstrip("\n")


def render_junit(reports: list[dict[str, Any]]) -> str:
    """JUnit XML: a test suite per root, a test case per gate; failed gates list their errors."""
    suites = ET.Element("testsuites", name="infragen check")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for report in reports:
        suite = ET.SubElement(suites, "testsuite", name=report["request"].removeprefix("check "))
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for name, gate in report["gates"].items():
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"infragen.{name}",
                name=f"{name} ({gate.get('engine') or 'no engine'})",
                time=str(gate.get("duration_s", 0.0)),
            )
            counts["tests"] += 1
            if gate["status"] == "failed":
                counts["failures"] += 1
                errors = finding_lines(
                    {**report, "gates": {name: gate}}, failures_only=True, verbose=False
                )
                failure = ET.SubElement(
                    case, "failure", message=f"{len(errors)} error(s)", type="gate failed"
                )
                failure.text = "\n".join(e.strip() for e in errors) or gate.get("reason", "")
            elif gate["status"] == "skipped":
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=gate.get("reason", ""))
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        suites.set(key, str(value))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


def render(
    reports: list[dict[str, Any]],
    fmt: str,
    *,
    exit_code: int,
    quiet: bool,
    verbose: bool,
    plain: bool,
) -> str:
    if fmt == "json":
        return render_json(reports, exit_code)
    if fmt == "markdown":
        return render_markdown(reports)
    if fmt == "sarif":
        from infragen.tools.sarif import reports_to_sarif

        return json.dumps(reports_to_sarif(reports), indent=2)
    if fmt == "junit":
        return render_junit(reports)
    return render_text(reports, quiet=quiet, verbose=verbose, plain=plain)

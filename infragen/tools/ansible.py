"""The Ansible gate: `ansible-playbook --syntax-check`, plus ansible-lint when it is installed.

Ansible writes temp files, a fact cache and a collections cache under $HOME by default; here every
writable path points into a throwaway directory, so a check never touches the user's home.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

from infragen.domain import Finding, GateResult
from infragen.tools import process

GATE = "ansible"
_NEW_STYLE = re.compile(
    r"^\[(?P<level>ERROR|WARNING)\]: (?P<message>.+?)(?:\nOrigin: (?P<file>[^\n]+?):(?P<line>\d+)(?::\d+)?)?$",
    re.MULTILINE | re.DOTALL,
)
_OLD_STYLE = re.compile(
    r"^ERROR! (?P<message>[^\n]+)(?:.*?The error appears to be in '(?P<file>[^']+)': line (?P<line>\d+))?",
    re.MULTILINE | re.DOTALL,
)
LINT_HINT = "skipped: ansible-lint is not installed (pip install ansible-lint)"


def ansible_env(scratch: Path) -> dict[str, str]:
    home = Path.home()
    return process.base_env(
        ANSIBLE_HOME=str(scratch),
        ANSIBLE_LOCAL_TEMP=str(scratch / "tmp"),
        ANSIBLE_REMOTE_TEMP=str(scratch / "remote-tmp"),
        ANSIBLE_PERSISTENT_CONTROL_PATH_DIR=str(scratch / "cp"),
        ANSIBLE_GALAXY_CACHE_DIR=str(scratch / "galaxy"),
        # Reading collections the user installed is fine; writing into their home is not.
        ANSIBLE_COLLECTIONS_PATH=f"{home / '.ansible/collections'}:/usr/share/ansible/collections",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_DEPRECATION_WARNINGS="1",
        ANSIBLE_LOCALHOST_WARNING="0",
        XDG_CACHE_HOME=str(scratch / "cache"),
    )


def _relative(file: str | None, base: Path) -> str | None:
    if not file:
        return None
    try:
        return str(Path(file).resolve().relative_to(base.resolve()))
    except ValueError:
        return file


def parse_syntax_output(text: str, base: Path) -> list[Finding]:
    """ansible-core 2.19's `[ERROR]: ... / Origin: file:line:col`, and the older `ERROR! ...` form."""
    findings = []
    # Split into blocks at each [ERROR]/[WARNING] so a message never swallows the next one.
    blocks = re.split(r"\n(?=\[(?:ERROR|WARNING)\]: )", text.strip())
    for block in blocks:
        m = _NEW_STYLE.match(block.split("\n\n")[0])
        if m:
            findings.append(
                Finding(
                    gate=GATE,
                    rule_id="syntax-check",
                    severity="error" if m["level"] == "ERROR" else "warning",
                    message=" ".join(m["message"].split()),
                    file=_relative(m["file"], base),
                    line=int(m["line"]) if m["line"] else None,
                )
            )
        elif old := _OLD_STYLE.search(block):
            findings.append(
                Finding(
                    gate=GATE,
                    rule_id="syntax-check",
                    message=old["message"].strip(),
                    file=_relative(old["file"], base),
                    line=int(old["line"]) if old["line"] else None,
                )
            )
    return findings


def parse_lint_codeclimate(stdout: str) -> list[Finding]:
    """ansible-lint `-f codeclimate`: a JSON list of issues with check_name, severity and location."""
    try:
        issues = json.loads(stdout or "[]")
    except json.JSONDecodeError:
        return []
    findings = []
    for issue in issues:
        location = issue.get("location", {})
        lines = location.get("lines", {})
        line = lines.get("begin")
        line = line.get("line") if isinstance(line, dict) else line
        findings.append(
            Finding(
                gate=GATE,
                rule_id=str(issue.get("check_name", "ansible-lint")),
                severity="error"
                if issue.get("severity") in ("major", "critical", "blocker")
                else "warning",
                message=str(issue.get("description", "")).strip(),
                file=location.get("path"),
                line=line if isinstance(line, int) else None,
                guideline=issue.get("url"),
            )
        )
    return findings


def _lint(playbook: Path, env: dict[str, str], timeout: float) -> tuple[list[Finding], str]:
    binary = process.find_binary("ansible-lint")
    if not binary:
        return [], LINT_HINT
    result = process.run(
        [binary, "--offline", "--nocolor", "-f", "codeclimate", "-q", playbook.name],
        cwd=playbook.parent,
        timeout=timeout,
        env=env,
    )
    return parse_lint_codeclimate(result.stdout), f"ansible-lint exit {result.returncode}"


def syntax_check(playbook: Path, inventory: Path, *, timeout: float = 120) -> GateResult:
    """`ansible-playbook --syntax-check -i inventory playbook`; ansible-lint findings added when present."""
    started = time.monotonic()
    binary = process.find_binary("ansible-playbook")
    if not binary:
        return GateResult(
            name=GATE,
            status="skipped",
            reason="ansible-playbook not found: pip install ansible-core",
        )
    if not playbook.is_file():
        finding = Finding(gate=GATE, rule_id="missing-file", message=f"no playbook at {playbook}")
        return GateResult(name=GATE, status="failed", engine="ansible-playbook", findings=[finding])
    with tempfile.TemporaryDirectory(prefix="infragen-ansible-") as scratch:
        env = ansible_env(Path(scratch))
        argv = [binary, "--syntax-check", "-i", str(inventory), playbook.name]
        result = process.run(argv, cwd=playbook.parent, timeout=timeout, env=env)
        findings = parse_syntax_output(result.stderr + "\n" + result.stdout, playbook.parent)
        if result.returncode != 0 and not any(f.severity == "error" for f in findings):
            message = (result.stderr or result.stdout).strip() or f"exit {result.returncode}"
            findings.append(Finding(gate=GATE, rule_id="syntax-check", message=message[:500]))
        lint_findings, lint_note = _lint(playbook, env, timeout)
    findings += lint_findings
    failed = result.returncode != 0 or any(f.severity == "error" for f in findings)
    engine = "ansible-playbook --syntax-check" + (
        " + ansible-lint" if lint_note != LINT_HINT else ""
    )
    return GateResult(
        name=GATE,
        status="failed" if failed else "passed",
        engine=engine,
        findings=findings,
        reason=lint_note if lint_note == LINT_HINT else "",
        duration_s=round(time.monotonic() - started, 3),
    )

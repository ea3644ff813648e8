"""The security gate: Checkov in-process over Terraform and Ansible files, offline and fail-closed.

Checkov is imported only when a scan runs (its import costs ~3 s), after the environment has been
set so it downloads nothing: no guideline/policy mapping (BC_SKIP_MAPPING), no SCA package scan,
no version check, no platform upload (infragen calls the runners directly, never Checkov's main,
which is where the platform integration lives). A file Checkov cannot parse fails the gate: a
scanner that silently skips what it cannot read would pass exactly the files it never checked.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from infragen.domain import Finding, GateResult
from infragen.errors import ConfigError
from infragen.tools.hcl import HclParseError, parse_text
from infragen.tools.sarif import SUPPRESSED

GATE = "checkov"
FRAMEWORKS = ("terraform", "ansible")
# Checkov's severities from lowest to highest. Offline Checkov has no severities at all (they come
# from the platform), so a threshold treats a check without one as failing: fail closed.
SEVERITIES = ("INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL")
REPORT_ONLY = ("NONE", "OFF")
OFFLINE_ENV = {
    "BC_SKIP_MAPPING": "TRUE",
    "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "CHECKOV_CREATE_MARKDOWN_HYPERLINKS": "false",
}
POLICY_INDEX = "https://www.checkov.io/5.Policy%20Index/{framework}.html"
_IGNORED_DIRS = {".terraform", ".git", "node_modules", "__pycache__"}
_CHECK_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")  # CKV_AWS_24, CKV2_AWS_6


def parse_fail_on(value: str | Sequence[str]) -> list[str]:
    """`--fail-on HIGH,CRITICAL` or ["high", "CKV_AWS_24"] as upper-case words; a word that is
    neither a severity, NONE/OFF nor a check id is a ConfigError (a typo must not pass silently)."""
    items = [value] if isinstance(value, str) else list(value)
    words = [w.strip().upper() for item in items for w in item.split(",") if w.strip()]
    bad = [w for w in words if w not in SEVERITIES + REPORT_ONLY and not _CHECK_ID.match(w)]
    if bad or not words:
        raise ConfigError(
            f"--fail-on {', '.join(bad) or repr(value)} is not a severity, NONE or a check id",
            f"use one or more of {', '.join(SEVERITIES)}, NONE or ids such as CKV_AWS_24, "
            "separated by commas",
        )
    return words


@contextmanager
def _quiet_logs(verbose: bool):
    """Checkov logs warnings (a module that failed to load, ...) through `logging`; they reach
    stderr only with `verbose`, the findings carry what matters."""
    logger = logging.getLogger("checkov")
    level = logger.level
    if not verbose:
        logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            if not verbose:  # e.g. a FutureWarning from its excluded-paths regex
                warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


class _TolerantLoader(yaml.SafeLoader):
    """Safe YAML that accepts Ansible's custom tags (`!vault`, `!unsafe`) without building them."""


_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


@contextmanager
def _kept_streams():
    """Checkov's modules call colorama's `init()` on import, which replaces sys.stdout and
    sys.stderr with wrappers for good: in Jupyter every fragment of a print then became an output
    of its own. Whatever Checkov does, the caller's streams are put back."""
    stdout, stderr = sys.stdout, sys.stderr
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _offline_checkov() -> dict[str, Any]:
    """Import Checkov with every download switched off and return the runner classes."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    with _kept_streams():
        from checkov.ansible.runner import Runner as AnsibleRunner
        from checkov.common.bridgecrew.platform_integration import bc_integration
        from checkov.runner_filter import RunnerFilter
        from checkov.terraform.runner import Runner as TerraformRunner

    bc_integration.skip_download = True
    return {"terraform": TerraformRunner, "ansible": AnsibleRunner, "filter": RunnerFilter}


def _files(directory: Path, suffixes: tuple[str, ...], exclude: Sequence[Path] = ()) -> list[Path]:
    return sorted(
        p
        for p in directory.rglob("*")
        if p.is_file()
        and p.name.endswith(suffixes)
        and not _IGNORED_DIRS & set(p.relative_to(directory).parts)
        and not any(p.is_relative_to(x) for x in exclude)
    )


def _parse_failures(
    directory: Path, framework: str, reported: list[str], exclude: Sequence[Path] = ()
) -> list[Finding]:
    """Fail-closed parse check: files Checkov reported plus any our own parser rejects."""
    findings: list[Finding] = []
    suffixes = (".tf",) if framework == "terraform" else (".yml", ".yaml")
    reported_names = {Path(p).resolve() for p in reported}
    for path in _files(directory, suffixes, exclude):
        rel = str(path.relative_to(directory))
        text = path.read_text(encoding="utf-8", errors="replace")
        message, line = "", None
        try:
            if framework == "terraform":
                parse_text(text, rel)
            else:
                yaml.load(text, Loader=_TolerantLoader)  # noqa: S506 - a SafeLoader subclass
        except HclParseError as exc:
            message, line = exc.message, exc.line
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            message, line = " ".join(str(exc).split()), (mark.line + 1 if mark else None)
        if not message and path.resolve() in reported_names:
            message = "Checkov could not parse this file"
        if message:
            findings.append(
                Finding(
                    gate=GATE,
                    rule_id="parse-error",
                    message=f"unparsable {framework} file: {message}",
                    file=rel,
                    line=line,
                )
            )
    return findings


def _is_failing(check_id: str, severity: str | None, fail_on: Sequence[str]) -> bool:
    ids = {x.upper() for x in fail_on if x.upper() not in SEVERITIES + REPORT_ONLY}
    if check_id.upper() in ids:
        return True
    thresholds = [SEVERITIES.index(x.upper()) for x in fail_on if x.upper() in SEVERITIES]
    if not thresholds:
        return False
    if severity is None or severity.upper() not in SEVERITIES:
        return True
    return SEVERITIES.index(severity.upper()) >= min(thresholds)


def _record_to_finding(record: Any, framework: str, fail_on: Sequence[str]) -> Finding:
    severity = getattr(record.severity, "name", None) if record.severity else None
    failing = _is_failing(record.check_id, severity, fail_on)
    lines = record.file_line_range or [None]
    return Finding(
        gate=GATE,
        rule_id=record.check_id,
        severity="error" if failing else "warning",
        message=f"{record.check_name}" + (f" (severity {severity})" if severity else ""),
        file=str(record.file_path).lstrip("/"),
        line=lines[0],
        resource=record.resource,
        guideline=record.guideline or POLICY_INDEX.format(framework=framework),
    )


def _suppressed_to_finding(record: Any) -> Finding:
    reason = (record.check_result or {}).get("suppress_comment", "")
    return Finding(
        gate=GATE,
        rule_id=record.check_id,
        severity="info",
        message=f"{SUPPRESSED}{record.check_name}" + (f" ({reason})" if reason else ""),
        file=str(record.file_path).lstrip("/"),
        line=(record.file_line_range or [None])[0],
        resource=record.resource,
    )


def scan(
    directory: Path,
    *,
    frameworks: Sequence[str] = FRAMEWORKS,
    skip_checks: Sequence[str] = (),
    fail_on: str | Sequence[str] = ("LOW",),
    verbose: bool = False,
    exclude: Sequence[Path] = (),
) -> GateResult:
    """Scan `directory` with Checkov; the gate fails on any failing check selected by `fail_on`.

    `fail_on` holds severities (the lowest one listed is the threshold) and/or check ids; "NONE"
    reports findings as warnings without failing. `skip_checks` are not run at all. Directories
    in `exclude` (other roots below this one) are left out of the scan.
    """
    started = time.monotonic()
    unknown = set(frameworks) - set(FRAMEWORKS)
    if unknown:
        raise ValueError(f"unsupported frameworks {sorted(unknown)}; choose from {FRAMEWORKS}")
    policy = parse_fail_on(fail_on)
    checkov = _offline_checkov()
    findings: list[Finding] = []
    scanned: list[str] = []
    counts = {"passed": 0, "failed": 0}
    for framework in frameworks:
        suffixes = (".tf",) if framework == "terraform" else (".yml", ".yaml")
        if not _files(directory, suffixes, exclude):
            continue
        runner_filter = checkov["filter"](
            framework=[framework],
            skip_checks=list(skip_checks),
            show_progress_bar=False,
            excluded_paths=[f"^{re.escape(str(x.absolute()))}(/|$)" for x in exclude] or None,
        )
        with _quiet_logs(verbose), _kept_streams():
            report = checkov[framework]().run(
                root_folder=str(directory), runner_filter=runner_filter
            )
        scanned.append(framework)
        findings += _parse_failures(directory, framework, list(report.parsing_errors), exclude)
        findings += [_record_to_finding(r, framework, policy) for r in report.failed_checks]
        findings += [_suppressed_to_finding(r) for r in report.skipped_checks]
        counts["passed"] += len(report.passed_checks)
        counts["failed"] += len(report.failed_checks)
    duration = round(time.monotonic() - started, 3)
    if not scanned:
        return GateResult(
            name=GATE,
            status="skipped",
            engine="checkov",
            reason=f"no files for {', '.join(frameworks)} in {directory}",
            duration_s=duration,
        )
    errors = sum(f.severity == "error" for f in findings)
    reason = (
        f"{', '.join(scanned)}: {counts['passed']} checks passed, {counts['failed']} failed, "
        f"{errors} gate-failing finding(s) under fail_on={policy}"
    )
    return GateResult(
        name=GATE,
        status="failed" if errors else "passed",
        engine=f"checkov {_checkov_version()}",
        findings=findings,
        reason=reason,
        duration_s=duration,
    )


def _checkov_version() -> str:
    from checkov.version import version

    return str(version)

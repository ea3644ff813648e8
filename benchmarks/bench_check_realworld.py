"""`infragen check` on real-world Terraform: false alarms, crashes, output validity, time.

Run: .venv/bin/python benchmarks/bench_check_realworld.py [--quick] [--data DIR]

The data (../shared/data/real-terraform/, see its SOURCES.md) is known-good terraform-aws-modules
code that passes `terraform init` + `validate` in its own CI, so every schema or validate finding of
severity error that `check` raises there is a false alarm; a validate warning is counted apart.
Each directory (repository root, `modules/*`, `examples/*`) runs through the real CLI in one process
(`check DIR --format json`, all gates; `--quick` skips the security gate), then the many-path modes
run once over every directory: `--only schema` as JSON and SARIF, and `--only validate --format
sarif`. Every JSON document must parse; every SARIF log must be one a GitHub upload accepts (each
result located, one run per tool and category). Writes .bench/check_realworld.json.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "real-terraform"
OUT = ROOT / ".bench" / "check_realworld.json"

# A false alarm's cause, from its message or rule id (first match wins).
PATTERNS = (
    ("local module not copied", r"Unreadable module directory|could not be read for module"),
    (
        "registry module offline",
        r"remote module registry|Failed to download module|Module not installed",
    ),
    (
        "provider newer than schema",
        r"schema\.unknown-(argument|attribute-reference|resource-type|data-source|block)",
    ),
    ("nested attribute read as block", r"schema\.(block-as-attribute|attribute-as-block)"),
    (
        "loop variable read as reference",
        r"schema\.(undeclared|unknown)-\w*reference.*(each|dynamic|for)",
    ),
    ("secret literal in validate", r"plaintext-password|plaintext-secret"),
    ("undefined provider", r"Reference to undefined provider"),
)


def directories(data: Path) -> list[Path]:
    """Every repository root, modules/* and examples/* directory holding .tf files."""
    found = []
    for repo in sorted(p for p in data.iterdir() if p.is_dir()):
        found.append(repo)
        for group in ("modules", "examples"):
            if (repo / group).is_dir():
                found += sorted(d for d in (repo / group).iterdir() if any(d.glob("*.tf")))
    return found


def pattern(finding: dict) -> str:
    text = f"{finding.get('rule_id', '')} {finding.get('message', '')}"
    for name, regex in PATTERNS:
        if re.search(regex, text):
            return name
    return f"other: {finding.get('rule_id') or finding.get('message', '')[:60]}"


def invoke(args: list[str]) -> tuple[int, str, str, float]:
    from infragen.cli import app

    started = time.perf_counter()
    result = CliRunner().invoke(app, args, catch_exceptions=True)
    elapsed = time.perf_counter() - started
    if result.exception and not isinstance(result.exception, SystemExit):
        return -1, result.stdout, repr(result.exception), elapsed
    return result.exit_code, result.stdout, result.stderr, elapsed


def sarif_problems(log: dict) -> list[str]:
    """What GitHub code scanning would reject: unlocated results, duplicate tool/category runs."""
    problems, seen = [], Counter()
    for run in log.get("runs", []):
        tool = run["tool"]["driver"]["name"]
        category = (run.get("automationDetails") or {}).get("id")
        seen[(tool, category)] += 1
        for result in run.get("results", []):
            if not result.get("locations"):
                problems.append(f"{tool}: result {result.get('ruleId')} has no location")
    problems += [
        f"{n} runs share tool {t!r} and category {c!r}" for (t, c), n in seen.items() if n > 1
    ]
    return problems


def false_alarms(gate: dict | None) -> tuple[list[dict], list[dict]]:
    findings = (gate or {}).get("findings", [])
    return (
        [f for f in findings if f.get("severity") == "error"],
        [f for f in findings if f.get("severity") == "warning"],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--quick", action="store_true", help="run the validate gate only")
    args = parser.parse_args()
    dirs = directories(args.data)
    per_pattern, warn_pattern = Counter(), Counter()
    dirs_by_pattern: dict[str, set[str]] = defaultdict(set)
    flagged, crashes, invalid, times, rows = set(), [], [], [], []
    for d in dirs:
        name = d.relative_to(args.data).as_posix()
        extra = ["--only", "validate"] if args.quick else []
        code, out, err, elapsed = invoke(["check", str(d), "--format", "json", *extra])
        times.append(elapsed)
        if code == -1 or code == 2:
            crashes.append(f"{name}: exit {code}: {err.strip()[-300:]}")
            continue
        try:
            report = json.loads(out)
        except json.JSONDecodeError as exc:
            invalid.append(f"{name} --format json: {exc}")
            continue
        reports = report.get("reports", [report]) if isinstance(report, dict) else report
        errors, warnings = [], []
        for r in reports:
            e, w = false_alarms(r.get("gates", {}).get("validate"))
            errors += e
            warnings += w
        for f in errors:
            per_pattern[pattern(f)] += 1
            dirs_by_pattern[pattern(f)].add(name)
            flagged.add(name)
        for f in warnings:
            warn_pattern[pattern(f)] += 1
        rows.append(
            {"dir": name, "exit": code, "seconds": round(elapsed, 2), "errors": len(errors)}
        )
        print(
            f"{name:55s} exit {code} {elapsed:5.1f}s {len(errors)} false alarm(s)", file=sys.stderr
        )
    paths = [str(d) for d in dirs]
    code, out, err, _ = invoke(["check", *paths, "--only", "schema", "--format", "json"])
    try:
        doc = json.loads(out)
        for report in doc.get("reports", [doc]):
            gate = report["gates"].get("validate", {})
            for f in gate.get("findings", []):
                if f.get("severity") == "error":
                    per_pattern[f"--only schema: {pattern(f)}"] += 1
                    flagged.add(Path(report["output_dir"]).relative_to(args.data).as_posix())
    except (json.JSONDecodeError, KeyError, AttributeError) as exc:
        invalid.append(f"--only schema --format json over {len(paths)} paths: {exc!r}")
    sarif_issues = []
    for mode in (["--only", "schema"], ["--only", "validate"]):
        code, out, err, _ = invoke(["check", *paths, *mode, "--format", "sarif"])
        try:
            sarif_issues += [f"{' '.join(mode)}: {p}" for p in sarif_problems(json.loads(out))]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            invalid.append(f"{' '.join(mode)} --format sarif: {exc!r}")
    summary = {
        "directories": len(dirs),
        "directories_with_false_alarm": len(flagged),
        "false_alarms_by_pattern": dict(per_pattern.most_common()),
        "directories_by_pattern": {k: len(v) for k, v in dirs_by_pattern.items()},
        "validate_warnings_by_pattern": dict(warn_pattern.most_common()),
        "crashes": crashes,
        "invalid_documents": invalid,
        "sarif_problems": sarif_issues,
        "median_seconds_per_directory": round(statistics.median(times), 2),
        "security_gate": not args.quick,
        "rows": rows,
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(summary, indent=2))
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

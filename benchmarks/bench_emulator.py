"""The offline catalogue against the real AWS provider and a local AWS emulator.

For every request of the e2e suite (tests/e2e/test_offline_requests.py), render the catalogue's
project for one provider major (default 5, the mirror's), then:
- `terraform validate` with the real provider from the local mirror (5.100.0 here);
- `init`, `plan -out`, `show -json`, `apply` and `destroy` on moto (infragen's emulator gate).
A request passes when validate passes and the emulator gate passes; resource types moto cannot
emulate are listed per request. A provider that no mirror holds (hashicorp/random, archive) makes
both stages "skipped", which is counted apart, never as a pass.

Prints a table and writes .bench/emulator.json (pass counts, median seconds per stage).

Run: .venv/bin/python benchmarks/bench_emulator.py [--aws-provider 5] [--only WORD] [--plan-only]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from test_offline_requests import REQUESTS  # noqa: E402

from infragen.blueprints import render_terraform  # noqa: E402
from infragen.offline import parse_request, plan_spec  # noqa: E402
from infragen.tools import terraform  # noqa: E402
from infragen.tools.terraform_emulation import emulate  # noqa: E402


def run_one(request: str, major: int, apply: bool) -> dict:
    files = render_terraform(plan_spec(parse_request(request)), major)
    with tempfile.TemporaryDirectory(prefix="bench-emulator-") as tmp:
        root = Path(tmp)
        for f in files:
            if f.path.startswith("terraform/"):
                (root / f.path.removeprefix("terraform/")).write_text(f.content, encoding="utf-8")
        started = time.monotonic()
        validate = terraform.validate(root)
        validate_s = round(time.monotonic() - started, 2)
        # the catalogue's code is vetted: its archive provider (lambda zips) is no risk here
        gate = emulate(root, apply=apply, allow_exec=True)
    errors = [
        f"{f.resource or f.file}: {f.message[:200]}" for f in gate.findings if f.severity == "error"
    ]
    errors += [
        f"validate {f.file}:{f.line}: {f.message[:200]}"
        for f in validate.findings
        if f.severity == "error"
    ]
    return {
        "request": request,
        "validate": validate.status,
        "validate_engine": validate.engine,
        "emulator": gate.status,
        "planned": gate.planned,
        "applied": gate.applied,
        "destroyed": gate.destroyed,
        "remaining": gate.remaining,
        "not_emulated": gate.not_emulated,
        "seconds": {"validate": validate_s, **gate.stage_s},
        "errors": errors[:5],
        "reason": gate.reason if gate.status != "passed" else "",
    }


def summarise(rows: list[dict], major: int, apply: bool) -> dict:
    stages = sorted({k for r in rows for k in r["seconds"]})
    passed = [r for r in rows if r["validate"] == "passed" and r["emulator"] == "passed"]
    return {
        "aws_provider": major,
        "apply": apply,
        "requests": len(rows),
        "passed": len(passed),
        "validate_passed": sum(r["validate"] == "passed" for r in rows),
        "emulator_passed": sum(r["emulator"] == "passed" for r in rows),
        "skipped": [r["request"] for r in rows if "skipped" in (r["validate"], r["emulator"])],
        "failed": [r["request"] for r in rows if "failed" in (r["validate"], r["emulator"])],
        "not_emulated": sorted({t for r in rows for t in r["not_emulated"]}),
        "median_seconds": {
            s: round(statistics.median(r["seconds"][s] for r in rows if s in r["seconds"]), 2)
            for s in stages
        },
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aws-provider", type=int, default=5, choices=(5, 6))
    parser.add_argument("--only", default="", help="only requests containing this text")
    parser.add_argument("--plan-only", action="store_true", help="plan, no apply/destroy")
    parser.add_argument("--out", type=Path, default=ROOT / ".bench" / "emulator.json")
    args = parser.parse_args()
    rows = []
    for request in (r for r in REQUESTS if args.only in r):
        row = run_one(request, args.aws_provider, not args.plan_only)
        rows.append(row)
        print(
            f"{row['validate']:8} {row['emulator']:8} planned {row['planned']:3} "
            f"applied {row['applied']:3}  {sum(row['seconds'].values()):6.1f}s  {request}"
            + (f"  not emulated: {', '.join(row['not_emulated'])}" if row["not_emulated"] else "")
            + "".join(f"\n    {e}" for e in row["errors"]),
            flush=True,
        )
        # written after every request, so an interrupted run keeps what it measured
        result = summarise(rows, args.aws_provider, not args.plan_only)
        args.out.parent.mkdir(exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=2))


if __name__ == "__main__":
    main()

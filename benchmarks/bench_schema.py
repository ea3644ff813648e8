"""Schema check timings: schema load, then validating a 50-resource project (target < 100 ms).

Run: .venv/bin/python benchmarks/bench_schema.py
The project is built from IaC-Eval reference solutions (CC-BY-4.0), one file per solution,
until it holds 50 resources, so it has the mix of blocks and references real code has.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from infragen.schema.store import load
from infragen.schema.syntax import parse_document
from infragen.schema.validator import validate_texts

DEV = Path("/work/shared/data/iac-eval/dev.jsonl")
TARGET_RESOURCES = 50


def project() -> dict[str, str]:
    files: dict[str, str] = {}
    count = 0
    for line in DEV.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["reference_output"]
        count += text.count('\nresource "') + text.startswith('resource "')
        files[f"part{len(files):03d}.tf"] = text
        if count >= TARGET_RESOURCES:
            break
    return files


def main() -> None:
    start = time.perf_counter()
    for major in (5, 6):
        load(major)
    print(f"schema load (both majors, gunzip + JSON): {(time.perf_counter() - start) * 1e3:.0f} ms")
    start = time.perf_counter()
    parse_document('resource "aws_vpc" "x" {}\n')
    print(f"HCL grammar load (first parse):          {(time.perf_counter() - start) * 1e3:.0f} ms")
    files = project()
    resources = sum(t.count('resource "') for t in files.values())
    lines = sum(t.count("\n") for t in files.values())
    runs = []
    for _ in range(15):
        start = time.perf_counter()
        findings = validate_texts(files)
        runs.append(time.perf_counter() - start)
    print(
        f"project: {len(files)} files, {resources} resources, {lines} lines, {len(findings)} findings"
    )
    print(
        f"validate: median {statistics.median(runs) * 1e3:.1f} ms, best {min(runs) * 1e3:.1f} ms "
        f"(target < 100 ms)"
    )


if __name__ == "__main__":
    main()

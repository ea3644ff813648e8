"""Checkov scan time on the 20-resource fixture project: cold (import + first scan) and warm.

Run: `.venv/bin/python benchmarks/bench_checkov.py`. The target is a warm scan under 1 s.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "fixtures" / "tools" / "tf_project20"
WARM_RUNS = 5
TARGET_S = 1.0


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from infragen.tools import checkov

    started = time.perf_counter()
    first = checkov.scan(PROJECT, frameworks=["terraform"])
    cold = time.perf_counter() - started
    warm = []
    for _ in range(WARM_RUNS):
        started = time.perf_counter()
        checkov.scan(PROJECT, frameworks=["terraform"])
        warm.append(time.perf_counter() - started)
    median = statistics.median(warm)
    print(f"checkov scan of {PROJECT.name} ({len(first.findings)} findings, status {first.status})")
    print(f"cold (import + scan): {cold:.2f} s")
    print(f"warm median of {WARM_RUNS}: {median:.3f} s (min {min(warm):.3f}, max {max(warm):.3f})")
    print(f"target warm < {TARGET_S:.1f} s: {'ok' if median < TARGET_S else 'MISSED'}")
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())

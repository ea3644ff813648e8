"""Baseline vs cascade on the held-out routing splits: accuracy, per-class precision/recall,
confusion matrix and per-request latency (model already loaded). Writes .bench/router.json.

Run: `.venv/bin/python benchmarks/bench_router.py`
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from router_fitting.dataset import Example, load_examples
from router_fitting.evaluation import PREDICTED, Evaluation, route_each, score

from infragen.router import Route, Router, baseline_route

OUT = Path(".bench") / "router.json"


def show(result: Evaluation) -> None:
    print(f"\n== {result.name}: {result.examples} held-out requests")
    print(
        f"accuracy {result.accuracy:.3f}  tier accuracy {result.tier_accuracy:.3f}  "
        f"p50 {result.p50_ms:.2f} ms  p95 {result.p95_ms:.2f} ms  stages {result.stages}"
    )
    for klass, s in result.per_class.items():
        print(f"  {klass:<13} precision {s.precision:.3f}  recall {s.recall:.3f}  n={s.support}")
    print("  confusion (rows true, columns predicted): " + " ".join(p[:8] for p in PREDICTED))
    for truth, row in result.confusion.items():
        print(f"  {truth:<13} " + " ".join(f"{row[p]:>8}" for p in PREDICTED))


def by_source(
    examples: list[Example], routes: list[Route], latencies: list[float], source: str
) -> tuple[list[Example], list[Route], list[float]]:
    """The examples of one source with the routes and latencies already measured for them."""
    rows = [r for r in zip(examples, routes, latencies, strict=True) if r[0].source == source]
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def targets(baseline: Evaluation, cascade: Evaluation) -> list[tuple[bool, str]]:
    gain = cascade.accuracy - baseline.accuracy
    oos = cascade.per_class["out_of_scope"].recall
    load = os.getloadavg()[0]
    return [
        (cascade.accuracy >= 0.90, f"cascade accuracy >= 0.90: {cascade.accuracy:.3f}"),
        (gain >= 0.10, f"cascade beats the baseline by >= 10 points: {100 * gain:+.1f}"),
        (oos >= 0.95, f"out-of-scope recall >= 0.95: {oos:.3f}"),
        (
            cascade.p50_ms <= 15.0,
            f"p50 <= 15 ms once loaded: {cascade.p50_ms:.1f} ms "
            f"(load average {load:.2f}; meaningful on an idle machine)",
        ),
    ]


def main() -> None:
    router = Router()
    started = time.perf_counter()
    router.route("warm up: load the embedding model")
    load_s = time.perf_counter() - started
    routers: dict[str, Callable[[str], Route]] = {
        "baseline": baseline_route,
        "cascade": router.route,
    }
    report: dict = {"model_load_s": round(load_s, 3), "embeddings_used": router.use_embeddings}
    # "blind": written after the lexicon was frozen, by annotators who never saw it or the router
    # (issue 7's targets). "heldout": the earlier split, whose rows the lexicon was written beside.
    # "stress": boundary cases written to order (batches/STRESS_BRIEF.md), never fitted on.
    for split in ("blind", "heldout", "stress"):
        examples = load_examples(split)
        runs = {name: route_each(fn, examples) for name, fn in routers.items()}
        baseline = score(f"baseline, {split}", examples, *runs["baseline"])
        cascade = score(f"cascade, {split}", examples, *runs["cascade"])
        for result in (baseline, cascade):
            show(result)
        print(
            f"\n{split}: cascade - baseline {100 * (cascade.accuracy - baseline.accuracy):+.1f} points"
        )
        report[split] = {"baseline": baseline.model_dump(), "cascade": cascade.model_dump()}
        if split == "blind":
            for source in sorted({e.source for e in examples}):
                b_part, c_part = (
                    score(source, *by_source(examples, *runs[name], source))
                    for name in ("baseline", "cascade")
                )
                refused = c_part.per_class["out_of_scope"]
                caught = round(refused.recall * refused.support)
                print(
                    f"  {source:<18} n={c_part.examples:<4} baseline {b_part.accuracy:.3f}  "
                    f"cascade {c_part.accuracy:.3f}  "
                    f"out-of-scope recall {refused.recall:.3f} ({caught} of {refused.support})"
                )
                report.setdefault("blind_by_source", {})[source] = {
                    "examples": c_part.examples,
                    "baseline_accuracy": b_part.accuracy,
                    "cascade_accuracy": c_part.accuracy,
                    "out_of_scope_recall": refused.recall,
                    "out_of_scope_support": refused.support,
                }
            print("issue 7 targets, on the blind split:")
            for ok, target in targets(baseline, cascade):
                print(f"{'met   ' if ok else 'MISSED'} {target}")
    print(f"model load {load_s:.2f} s")
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

"""Intent-check calibration: offline plan document + regorus against real terraform plan + OPA.

Data: IaC-Eval dev split (Kon et al., NeurIPS 2024 Datasets & Benchmarks, CC-BY-4.0) and 3,024
third-party LLM outputs labelled by Terraform 1.9 / AWS provider 5.90 / OPA 0.61.

Prints and writes .bench/intent.json:
- reference_pass_rate: share of dev tasks whose reference solution passes its own Rego intent;
- agreement: share of labelled outputs with an OPA verdict (plan_ok) where we agree with OPA;
- repairs: of the outputs `terraform validate` rejected (init failures excluded), how many the
  zero-token repairs change, and how many of those the offline schema check then finds clean
  (the labelling used provider 5.90, so the 5.x schema judges; no terraform is run here).

--oracle (slow; needs moto[server] and a local hashicorp/aws mirror) instead plans every dev
reference on the emulator and compares the offline plan document with the real plan: resource
addresses, known values and Rego verdicts (benchmarks/intent_oracle.py); writes
.bench/intent_oracle.json.

--oracle --answers N does the same on N real model answers (the first validated answer per task
row): material the plan document was not developed on.

Run: .venv/bin/python benchmarks/bench_intent.py [--data DIR] [--oracle [--limit N] [--answers N]]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from infragen.evaluation.calibration import calibrate, offline_verdict  # noqa: E402
from infragen.evaluation.dataset import load_labelled, load_tasks  # noqa: E402


def reference_pass(data: Path | None) -> dict:
    tasks = load_tasks("dev", data)
    started = time.monotonic()
    failing = []
    for task in tasks:
        passed, detail = offline_verdict(task.reference_output, task.rego_intent)
        if not passed:
            failing.append({"id": task.id, "detail": detail[:200]})
    elapsed = time.monotonic() - started
    return {
        "tasks": len(tasks),
        "passed": len(tasks) - len(failing),
        "reference_pass_rate": round((len(tasks) - len(failing)) / len(tasks), 4),
        "seconds": round(elapsed, 2),
        "ms_per_task": round(1000 * elapsed / len(tasks), 1),
        "failing": failing,
    }


def agreement(data: Path | None) -> dict:
    tasks = {t.row: t for t in load_tasks("dev", data)}
    rows = load_labelled(data)
    started = time.monotonic()
    report = calibrate(rows, tasks)
    return {
        "labelled_rows": len(rows),
        "compared": report.compared,
        "agreed": report.agreed,
        "agreement": round(report.agreement, 4),
        "true_pass": report.true_pass,
        "true_fail": report.true_fail,
        "offline_pass_opa_fail": report.false_pass,
        "offline_fail_opa_pass": report.false_fail,
        "seconds": round(time.monotonic() - started, 2),
        "disagreements": [d.model_dump() for d in report.disagreements],
    }


INIT_FAILURES = (
    "Failed to query available provider packages",
    "problems during initialisation",
    "Module not installed",
    "Failed to download module",
    "Module source has changed",
)


def repair_yield(data: Path | None) -> dict:
    from infragen.evaluation.dataset import extract_program
    from infragen.schema.repair import repair_texts
    from infragen.schema.validator import validate_texts

    rejected = [
        r
        for r in load_labelled(data)
        if not r["validate_ok"]
        and not any(m in (r.get("validate_error") or "") for m in INIT_FAILURES)
    ]
    started = time.monotonic()
    changed = clean = unparsable = 0
    for row in rejected:
        files = {"main.tf": extract_program(row["llm_output"])}
        try:
            repaired, done = repair_texts(files, major=5)
        except Exception:  # noqa: BLE001 - unparsable HCL: no repair is possible
            unparsable += 1
            continue
        if done:
            changed += 1
            clean += not [f for f in validate_texts(repaired, major=5) if f.severity == "error"]
    return {
        "rejected_outputs": len(rejected),
        "unparsable": unparsable,
        "repaired": changed,
        "schema_clean_after_repair": clean,
        "seconds": round(time.monotonic() - started, 2),
    }


def oracle(data: Path | None, limit: int | None, out: Path, answers: int = 0) -> dict:
    """The real plan on the emulator as oracle for the offline plan document (intent_oracle.py);
    with `answers`, on that many real model answers instead of the references."""
    from intent_oracle import answer_tasks, oracle_row, summarise

    tasks = answer_tasks(data, answers) if answers else load_tasks("dev", data)[:limit]
    rows = []
    for task in tasks:
        rows.append(oracle_row(task))
        print(json.dumps(rows[-1])[:300], flush=True)
    result = {"summary": summarise(rows), "rows": rows}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result["summary"], indent=2))
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="folder with dev.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / ".bench" / "intent.json")
    parser.add_argument(
        "--oracle",
        action="store_true",
        help="only the oracle comparison: every dev reference planned on the emulator "
        "(moto[server] and a local hashicorp/aws mirror; minutes per ten tasks)",
    )
    parser.add_argument("--limit", type=int, default=None, help="--oracle: first N tasks only")
    parser.add_argument(
        "--answers",
        type=int,
        default=0,
        help="--oracle on N real model answers (one per task row) instead of the references",
    )
    args = parser.parse_args(argv)
    if args.oracle:
        name = "intent_oracle_answers.json" if args.answers else "intent_oracle.json"
        return oracle(args.data, args.limit, ROOT / ".bench" / name, args.answers)
    result = {
        "reference": reference_pass(args.data),
        "calibration": agreement(args.data),
        "repairs": repair_yield(args.data),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    ref, cal = result["reference"], result["calibration"]
    print(f"reference solutions passing their own intent: {ref['passed']}/{ref['tasks']} "
          f"({ref['reference_pass_rate']:.1%}), {ref['ms_per_task']} ms/task")  # fmt: skip
    print(f"agreement with real OPA verdicts: {cal['agreed']}/{cal['compared']} ({cal['agreement']:.1%}); "
          f"offline pass/OPA fail {cal['offline_pass_opa_fail']}, "
          f"offline fail/OPA pass {cal['offline_fail_opa_pass']}")  # fmt: skip
    rep = result["repairs"]
    print(f"zero-token repairs on {rep['rejected_outputs']} outputs terraform validate rejected: "
          f"{rep['repaired']} changed, {rep['schema_clean_after_repair']} clean by the offline schema "
          f"afterwards ({rep['unparsable']} unparsable)")  # fmt: skip
    print(f"wrote {args.out}")
    return result


if __name__ == "__main__":
    main()

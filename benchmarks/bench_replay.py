"""Replay benchmark (issue 18): real model answers through the real CLI, the real router and every gate.

A loopback OpenAI-compatible server (tests/models/fake_chat_server.py) answers the architect with
answers real models gave to the same IaC-Eval task (../shared/data/iac-eval/labelled_outputs_dev.jsonl,
labelled by real `terraform validate`/`plan` and OPA), verbatim, cut at max_tokens as a server would:
the first call gets an answer that failed real validate for a reason in the code (not a provider
download or the harness finding no code), later calls one that passed validate, plan and OPA.
Every run is `infragen generate PROMPT --model architect=openai:replay-architect --format json` with
no other key (clarifier, planner and Ansible writer fall back to the offline engine) and
INFRAGEN_CATALOGUE_FIRST=false, so every task's code is the model's.

Reports: runs under control (exit 0/1, one JSON document, no traceback), answers extracted,
first answers that failed real validate and failed a gate on attempt 1, answers that passed real
validate and passed infragen's validate gate, fixed answers accepted, and tokens in the report
against the tokens the server counted.

Tasks are split once, before any tuning: rows with row % 4 == 3 are held out (`--split held`),
scored once at the end; the rest (`--split tune`) are what the code was developed against.
Run: .venv/bin/python benchmarks/bench_replay.py [--split tune|held|all] [--limit N] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "iac-eval"
OUT = ROOT / ".bench" / "replay.json"
MODEL = "replay-architect"
# init/download failures of the labelling harness and "no fenced code": not the code's fault
ENVIRONMENT = (
    "Failed to query available provider packages",
    "Terraform encountered problems during initialisation",
    "Failed to install provider",
    "Empty code",
)
SMOKE_TASKS = 10

sys.path.insert(0, str(ROOT / "tests" / "models"))


def environment_failure(row: dict[str, Any]) -> bool:
    text = (row.get("validate_error") or "").strip()
    return any(marker in text for marker in ENVIRONMENT)


def code_failure(row: dict[str, Any]) -> bool:
    return not row["validate_ok"] and not environment_failure(row)


def fully_passed(row: dict[str, Any]) -> bool:
    return bool(row["validate_ok"] and row["plan_ok"] and str(row["opa_result"]) == "Success")


def load(split: str) -> list[dict[str, Any]]:
    """The dev tasks of a split, each with its recorded answers chosen for the replay."""
    tasks = [json.loads(line) for line in (DATA / "dev.jsonl").open(encoding="utf-8")]
    answers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for line in (DATA / "labelled_outputs_dev.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        answers[row["row"]].append(row)
    chosen = []
    for task in tasks:
        held = task["row"] % 4 == 3
        if (split == "held" and not held) or (split == "tune" and held):
            continue
        rows = answers[task["row"]]
        first = next((r for r in rows if code_failure(r)), None) or next(
            (r for r in rows if r["validate_ok"]), rows[0]
        )
        fixed = next((r for r in rows if fully_passed(r)), None) or next(
            (r for r in rows if r["validate_ok"]), first
        )
        chosen.append({**task, "first": first, "fixed": fixed})
    return chosen


def run_task(server: Any, task: dict[str, Any], max_retries: int, work: Path) -> dict[str, Any]:
    """One task through the real CLI; what the run reported against what the server saw."""
    from fake_chat_server import counted
    from typer.testing import CliRunner

    from infragen.cli import app
    from infragen.files import extract_files

    server.scripts = {
        MODEL: [counted(task["first"]["llm_output"]), counted(task["fixed"]["llm_output"])]
    }
    calls_before = len(server.calls)
    tokens_before = server.tokens_served.get(MODEL, 0)
    out = work / f"task-{task['row']}"
    started = time.perf_counter()
    result = CliRunner().invoke(
        app,
        ["generate", task["prompt"], "--model", f"architect=openai:{MODEL}", "--format", "json",
         "--max-retries", str(max_retries), "--no-cache", "--no-input", "-o", str(out)],
    )  # fmt: skip
    seconds = time.perf_counter() - started
    served = [c for c in server.calls[calls_before:] if c.model == MODEL]
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = None
    traceback = result.exception is not None and not isinstance(result.exception, SystemExit)
    attempts = (report or {}).get("attempt_log", [])
    labels = [task["first"], *[task["fixed"]] * max(0, len(served) - 1)]
    extracted = [
        bool(e.files or e.cut)
        for e in (extract_files(a["llm_output"]) for a in labels[: len(served)])
    ]
    return {
        "row": task["row"],
        "exit_code": result.exit_code,
        "under_control": result.exit_code in (0, 1) and report is not None and not traceback,
        "error": (report or {}).get("error") or (repr(result.exception) if traceback else ""),
        "status": (report or {}).get("status"),
        "seconds": round(seconds, 1),
        "served": len(served),
        "extracted": extracted,
        "attempts": [
            {
                "label_validate_ok": bool(labels[i]["validate_ok"]) if i < len(labels) else None,
                "label_code_failure": code_failure(labels[i]) if i < len(labels) else None,
                "gates": entry.get("gates", {}),
                "model": entry.get("model", ""),
            }
            for i, entry in enumerate(attempts)
        ],
        "report_tokens": (report or {}).get("usage", {}).get("total_tokens"),
        "server_tokens": server.tokens_served.get(MODEL, 0) - tokens_before,
    }


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def rate(hits: int, total: int) -> dict[str, Any]:
        return {"hits": hits, "total": total, "rate": round(hits / total, 3) if total else None}

    firsts = [r["attempts"][0] for r in rows if r["attempts"]]
    caught = [a for a in firsts if a["label_code_failure"]]
    passed_validate = [a for r in rows for a in r["attempts"] if a["label_validate_ok"]]
    fixed = [a for r in rows for a in r["attempts"][1:]]
    return {
        "runs": len(rows),
        "under_control": rate(sum(r["under_control"] for r in rows), len(rows)),
        "answers_extracted": rate(
            sum(sum(r["extracted"]) for r in rows), sum(len(r["extracted"]) for r in rows)
        ),
        "first_failures_caught": rate(
            sum(any(s == "failed" for s in a["gates"].values()) for a in caught), len(caught)
        ),
        "first_failures_caught_by_validate": rate(
            sum(a["gates"].get("validate") == "failed" for a in caught), len(caught)
        ),
        "validated_answers_pass_validate": rate(
            sum(a["gates"].get("validate") == "passed" for a in passed_validate),
            len(passed_validate),
        ),
        "fixed_answers_accepted": rate(
            sum(a["gates"].get("validate") == "passed" for a in fixed), len(fixed)
        ),
        "tokens_match": rate(
            sum(r["report_tokens"] == r["server_tokens"] for r in rows), len(rows)
        ),
        "median_seconds": sorted(r["seconds"] for r in rows)[len(rows) // 2] if rows else None,
    }


def replay(
    split: str, limit: int | None, max_retries: int, rows: list[int] | None = None
) -> dict[str, Any]:
    from fake_chat_server import ChatServer

    from infragen.models.config import ROUTING_ENV

    tasks = load(split)[:limit] if limit else load(split)
    if rows:
        tasks = [t for t in tasks if t["row"] in rows]
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="infragen-replay-") as tmp, ChatServer() as server:
        for key in ROUTING_ENV:
            os.environ.pop(key, None)
        os.environ.update(
            OPENAI_BASE_URL=f"{server.url}/v1",
            INFRAGEN_CATALOGUE_FIRST="false",
            INFRAGEN_STATE_DIR=str(Path(tmp) / "state"),
            INFRAGEN_CONFIG=str(Path(tmp) / "no-config.toml"),
        )
        try:
            rows = []
            for task in tasks:
                rows.append(run_task(server, task, max_retries, Path(tmp)))
                row = rows[-1]
                print(
                    f"row {row['row']:>3} exit {row['exit_code']} {row['status'] or '-':<7} "
                    f"{row['seconds']:>5}s attempts {[a['gates'].get('validate') for a in row['attempts']]} "
                    f"tokens {row['report_tokens']}/{row['server_tokens']} {row['error'][:80]}",
                    file=sys.stderr,
                )
        finally:
            os.environ.clear()
            os.environ.update(saved)
    return {"split": split, "max_retries": max_retries, "summary": summarise(rows), "rows": rows}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--split", choices=("tune", "held", "all"), default="tune")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--smoke", action="store_true", help=f"the first {SMOKE_TASKS} tasks")
    parser.add_argument("--max-retries", type=int, default=2)
    parser.add_argument("--rows", type=int, nargs="*", help="only these task rows (re-runs)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    result = replay(
        args.split, SMOKE_TASKS if args.smoke else args.limit, args.max_retries, args.rows
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["summary"], indent=2))
    return result


if __name__ == "__main__":
    main()

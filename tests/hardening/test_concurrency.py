"""Twenty runs at once share the ledger, the response cache and the checkpoint store: nothing is
corrupted, the daily budget is never overspent, and every run can be read back."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hardening_support import assert_no_key

from infragen.checkpoints import open_checkpointer
from infragen.graph import compile_graph
from infragen.models.ledger import Ledger

HERE = Path(__file__).resolve().parent
RUNS, BUDGET = 20, 8_000


def test_twenty_concurrent_runs_in_threads(tmp_path):
    """Twenty connections to each database from one process: the fast check of the same rules."""
    from concurrent.futures import ThreadPoolExecutor

    from run_worker import run_one

    state = tmp_path / "state"
    with ThreadPoolExecutor(RUNS) as pool:
        lines = list(
            pool.map(lambda i: run_one(state, i, BUDGET, str(tmp_path / f"out{i}")), range(RUNS))
        )
    check_shared_state(state, lines)
    assert_no_key(*lines, paths=(state,))


@pytest.mark.slow  # 60-100 s on two busy cores: twenty interpreters import langgraph at once
def test_twenty_parallel_processes_share_state_without_corruption(tmp_path):
    state = tmp_path / "state"
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                str(HERE / "run_worker.py"),
                str(state),
                str(i),
                str(BUDGET),
                str(tmp_path / f"out{i}"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(RUNS)
    ]
    outputs = [w.communicate(timeout=300) for w in workers]
    assert all(w.returncode == 0 for w in workers), [err[-1500:] for _, err in outputs]
    check_shared_state(state, [out.strip() for out, _ in outputs])
    assert_no_key(*(o + e for o, e in outputs), paths=(state,))


def check_shared_state(state: Path, lines: list[str]) -> None:
    served = [line.split() for line in lines if line.startswith("ok ")]
    refused = [line for line in lines if line == "budget"]
    assert len(served) + len(refused) == RUNS, lines

    rows = Ledger.in_state_dir(state).rows()
    billed = [r["prompt_tokens"] + r["completion_tokens"] for r in rows if r["status"] == "done"]
    assert len(billed) == len(served) and len(set(billed)) == 1  # one identical call per run
    cost = billed[0]
    assert sum(billed) <= BUDGET
    assert len(served) == BUDGET // cost  # every run that fitted ran, none that did not
    assert all(fields[3] == "cached=True" for fields in served)  # concurrent cache writes landed

    for db in state.glob("*.sqlite"):
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", db
    with open_checkpointer(state) as saver:
        graph = compile_graph(checkpointer=saver)
        for fields in served:
            values = graph.get_state({"configurable": {"thread_id": fields[1]}}).values
            assert values["request"].startswith("create an eks cluster for team")
            assert values["refusal"]  # the clarifier's step is checkpointed

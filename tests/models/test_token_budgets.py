"""The token ledger and daily / per-run budgets, including many processes at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fake_chat_server import ok
from router_fixtures import FAKE_GROQ_KEY, FAKE_SECONDARY_KEY, ask, registry, router

from infragen.errors import BudgetExceededError
from infragen.models.base import TokenUsage
from infragen.models.ledger import CallRecord, Ledger, estimate_tokens

HERE = Path(__file__).parent


@pytest.fixture
def ledger(tmp_path):
    return Ledger(tmp_path / "ledger.sqlite3")


def call(key: str = "k1", run: str = "") -> CallRecord:
    return CallRecord(
        run_id=run,
        task="architect",
        backend="groq",
        model="m",
        key_id=key,
        key_label="GROQ_API_KEY",
    )


def test_reservations_count_until_settled_or_released(ledger):
    first = ledger.reserve(call(), 400, daily_budget=1000, run_budget=None)
    second = ledger.reserve(call(), 400, daily_budget=1000, run_budget=None)
    with pytest.raises(
        BudgetExceededError, match="daily budget of 1000 tokens for GROQ_API_KEY"
    ) as caught:
        ledger.reserve(call(), 400, daily_budget=1000, run_budget=None)
    assert "resets at" in caught.value.hint
    ledger.settle(first, TokenUsage(prompt_tokens=50, completion_tokens=50, total_tokens=100), {})
    ledger.release(second)
    assert ledger.spent("k1") == 100
    ledger.reserve(call(), 900, daily_budget=1000, run_budget=None)
    assert ledger.spent("k2") == 0  # budgets are per key


def test_run_cap_spans_keys(ledger):
    ledger.reserve(call("k1", run="r1"), 300, daily_budget=None, run_budget=500)
    with pytest.raises(BudgetExceededError, match="run budget of 500 tokens for run r1"):
        ledger.reserve(call("k2", run="r1"), 300, daily_budget=None, run_budget=500)
    ledger.reserve(call("k2", run="r2"), 300, daily_budget=None, run_budget=500)


def test_router_moves_to_the_next_key_when_a_budget_would_be_crossed(server, health, tmp_path):
    server.scripts = {"m": [ok()]}
    r = router(
        server,
        registry(["groq:m"]),
        health,
        groq_api_key_secondary=FAKE_SECONDARY_KEY,
        key_budgets={"GROQ_API_KEY_SECONDARY": 100},
    )
    r.ledger = Ledger(tmp_path / "ledger.sqlite3")
    assert estimate_tokens(ask()) == 79
    r.complete(ask())  # secondary: reserves 79, spends 18
    r.complete(ask())  # secondary: 18 + 79 <= 100
    third = r.complete(ask())  # secondary would cross 100: the primary key serves
    secondary, primary = f"Bearer {FAKE_SECONDARY_KEY}", f"Bearer {FAKE_GROQ_KEY}"
    assert [c.authorization for c in server.calls] == [secondary, secondary, primary]
    assert third.attempts[0].error_class == "BudgetExceededError"
    labels = [row["key_label"] for row in r.ledger.rows()]
    assert labels == ["GROQ_API_KEY_SECONDARY", "GROQ_API_KEY_SECONDARY", "GROQ_API_KEY"]


def test_exhausted_budget_raises_or_falls_back_offline(server, health, tmp_path):
    server.scripts = {"m": [ok()]}
    strict = router(
        server, registry(["groq:m"]), health, daily_budget_tokens=50, offline_fallback=False
    )
    strict.ledger = Ledger(tmp_path / "ledger.sqlite3")
    with pytest.raises(BudgetExceededError, match="daily budget of 50 tokens"):
        strict.complete(ask())
    assert server.calls == []
    lenient = router(server, registry(["groq:m"]), health, daily_budget_tokens=50)
    lenient.ledger = strict.ledger
    assert lenient.complete(ask()).backend == "offline"


def test_per_run_cap_through_the_router(server, health, tmp_path):
    server.scripts = {"m": [ok()]}
    r = router(
        server,
        registry(["groq:m"]),
        health,
        budget_tokens=150,
        run_id="run-7",
        offline_fallback=False,
    )
    r.ledger = Ledger(tmp_path / "ledger.sqlite3")
    r.complete(ask())  # 18 spent
    r.complete(ask())  # 36 spent
    with pytest.raises(BudgetExceededError, match="run budget of 150"):
        r.complete(ask(max_tokens=120))  # 36 + 135 > 150
    assert {row["run_id"] for row in r.ledger.rows()} == {"run-7"}


@pytest.mark.slow  # ~15 s: twelve interpreters start on two cores
def test_budget_holds_under_twelve_concurrent_processes(tmp_path):
    budget, per_process, processes = 2_000, 6, 12
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                str(HERE / "budget_worker.py"),
                str(tmp_path),
                str(per_process),
                str(budget),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert all(w.returncode == 0 for w in workers), [err for _, err in outputs]
    counts = [dict(kv.split("=") for kv in out.split()) for out, _ in outputs]
    served = sum(int(c["ok"]) for c in counts)
    refused = sum(int(c["refused"]) for c in counts)
    ledger = Ledger.in_state_dir(tmp_path)
    spent = sum(r["prompt_tokens"] + r["completion_tokens"] for r in ledger.rows())
    assert served + refused == processes * per_process
    assert spent <= budget
    assert refused > 0 and spent > budget - 100  # the budget was used, not just refused
    assert spent == served * 101  # 9-char prompt: 3 + 8 estimated, plus max_tokens 90

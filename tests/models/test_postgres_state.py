"""INFRAGEN_DATABASE_URL puts the ledger, the budgets, the response cache, run settings and the
LangGraph checkpoints in one PostgreSQL database, so processes (or server replicas) with separate
state directories share one organisation budget. Against a real PostgreSQL server the test starts
(`pgserver` from PyPI, a dev dependency)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pgserver = pytest.importorskip("pgserver", reason="pgserver (dev extra) is not installed")
psycopg = pytest.importorskip("psycopg", reason="psycopg (postgres extra) is not installed")

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = pgserver.get_server(tmp_path_factory.mktemp("pgdata"), cleanup_mode="stop")
    yield srv
    srv.cleanup()


@pytest.fixture
def database_url(server, monkeypatch):
    """A fresh database per test, named in INFRAGEN_DATABASE_URL for this process and its children."""
    name = f"t{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = server.get_uri(name)
    monkeypatch.setenv("INFRAGEN_DATABASE_URL", url)
    return url


def test_processes_with_separate_state_dirs_share_one_budget_and_ledger(tmp_path, database_url):
    from infragen.models.ledger import Ledger

    budget, per_process, processes = 1_000, 5, 4
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                str(HERE / "budget_worker.py"),
                str(tmp_path / f"replica{i}"),
                str(per_process),
                str(budget),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for i in range(processes)
    ]
    outputs = [w.communicate(timeout=300) for w in workers]
    assert all(w.returncode == 0 for w in workers), [err[-2000:] for _, err in outputs]
    counts = [dict(kv.split("=") for kv in out.split()) for out, _ in outputs]
    served = sum(int(c["ok"]) for c in counts)
    refused = sum(int(c["refused"]) for c in counts)
    assert served + refused == processes * per_process
    rows = Ledger.in_state_dir(tmp_path / "anywhere").rows()
    spent = sum(r["prompt_tokens"] + r["completion_tokens"] for r in rows)
    assert spent <= budget  # never overspent, though no process saw another's files
    assert refused > 0 and spent > budget - 101  # the budget was used, not just refused
    assert sum(r["status"] == "done" for r in rows) == served  # no row lost
    assert spent == served * 101  # 9-char prompt: 3 + 8 estimated, plus max_tokens 90
    assert not any((tmp_path / f"replica{i}" / "ledger.sqlite3").exists() for i in range(4))


def test_the_response_cache_is_shared(tmp_path, database_url):
    from infragen.models.base import ChatRequest
    from infragen.models.cache import ResponseCache

    request = ChatRequest(task="planner", messages=[{"role": "user", "content": "an sqs queue"}])
    one, two = (
        ResponseCache.in_state_dir(tmp_path / "a"),
        ResponseCache.in_state_dir(tmp_path / "b"),
    )
    one.put("groq", "m", request, "first")
    one.put("groq", "m", request, "second")  # an upsert, as SQLite's
    assert two.get("groq", "m", request).content == "second"
    assert two.get("groq", "other", request) is None


def test_a_run_interrupted_on_one_replica_resumes_on_another(tmp_path, database_url, monkeypatch):
    from infragen import api
    from infragen.errors import RunInterruptedError
    from infragen.settings import RunSettings

    def interrupt_after_planner(name, data):
        if name == "node" and data["node"] == "planner":
            raise KeyboardInterrupt

    monkeypatch.delenv("INFRAGEN_OFFLINE", raising=False)
    first = RunSettings(offline=True, max_monthly_cost=1.0, state_dir=tmp_path / "replica-a")
    with pytest.raises(RunInterruptedError) as caught:
        api.generate(
            "create an sqs queue",
            output_dir=tmp_path / "out",
            settings=first,
            on_event=interrupt_after_planner,
        )
    run_id = caught.value.one_line().rsplit("infragen resume ", 1)[1].strip(" )")
    assert not (tmp_path / "replica-a" / "checkpoints.sqlite").exists()

    other = RunSettings(state_dir=tmp_path / "replica-b")  # nothing of the first replica's
    result = api.resume(run_id, settings=other)
    assert result.report["run_id"] == run_id
    assert result.gates["cost"]["status"] == "failed"  # the stored cost limit came along
    assert set(result.report["usage"]["by_model"]) <= {"offline:blueprints"}
    assert (tmp_path / "out" / "report.json").is_file()

"""The ledger records exactly the usage the server reports, call by call, through the real
Groq and OpenAI clients, and a budget stop through the real CLI is one clean line."""

from __future__ import annotations

import os
import subprocess
import sys

from fake_chat_server import ok
from router_fixtures import FAKE_GROQ_KEY, ask, registry, router

from infragen.models.ledger import Ledger


def test_ledger_rows_equal_the_usage_each_reply_reports(server, health, tmp_path):
    reported = [(137, 21), (1402, 377), (58, 1), (999, 640)]
    server.scripts = {
        "groq-model": [
            ok(f"g{i}", prompt_tokens=p, completion_tokens=c)
            for i, (p, c) in enumerate(reported[:2])
        ],
        "local-model": [
            ok(f"o{i}", prompt_tokens=p, completion_tokens=c)
            for i, (p, c) in enumerate(reported[2:])
        ],
    }
    groq = router(server, registry(["groq:groq-model"]), health)
    local = router(server, registry(["openai:local-model"]), health)
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    groq.ledger = local.ledger = ledger
    replies = [
        groq.complete(ask(text="a")),
        groq.complete(ask(text="b")),
        local.complete(ask(text="c")),
        local.complete(ask(text="d")),
    ]

    rows = ledger.rows()
    assert [(r["prompt_tokens"], r["completion_tokens"]) for r in rows] == reported
    assert [(r.usage.prompt_tokens, r.usage.completion_tokens) for r in replies] == reported
    assert [r["model"] for r in rows] == ["groq-model"] * 2 + ["local-model"] * 2
    assert all(FAKE_GROQ_KEY not in str(dict(r)) for r in rows)  # key id only, never the key


def test_a_budget_stop_is_one_line_naming_the_budget_and_its_reset(server, tmp_path):
    server.scripts = {"groq-model": [ok("never reached")]}
    env = {
        **os.environ,
        "GROQ_API_KEY": FAKE_GROQ_KEY,
        "GROQ_BASE_URL": server.url,
        "FORCE_MODEL": "groq:groq-model",
        "INFRAGEN_DAILY_BUDGET_TOKENS": "50",
        "MODEL_OFFLINE_FALLBACK": "false",
        "INFRAGEN_CATALOGUE_FIRST": "false",
        "NO_COLOR": "1",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "infragen", "create vpc with rds", "-o", "out"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 3, proc.stderr
    assert len(lines) == 1 and "budget" in lines[0] and "50" in lines[0] and "reset" in lines[0]
    assert server.calls == []  # stopped before spending anything
    assert FAKE_GROQ_KEY not in proc.stdout + proc.stderr

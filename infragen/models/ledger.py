"""The token ledger: every model call's tokens, and the budgets checked against it.

A paid call first *reserves* its worst case (estimated prompt + max_tokens) inside one
`BEGIN IMMEDIATE` transaction that also sums what the key (and the run) already spent today, so
concurrent processes cannot both squeeze under the same budget. The reservation is then settled
with the real usage, or released when the call fails. Reservations of crashed processes stop
counting after `STALE_RESERVATION_S`.
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel

from infragen.errors import BudgetExceededError
from infragen.models.base import ChatRequest, TokenUsage
from infragen.models.store import connect, transaction

STALE_RESERVATION_S = 15 * 60

_SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
  id INTEGER PRIMARY KEY,
  ts REAL NOT NULL,
  day TEXT NOT NULL,
  run_id TEXT NOT NULL,
  task TEXT NOT NULL,
  backend TEXT NOT NULL,
  model TEXT NOT NULL,
  key_id TEXT NOT NULL,
  key_label TEXT NOT NULL,
  status TEXT NOT NULL,           -- reserved | done | failed | cached
  reserved INTEGER NOT NULL DEFAULT 0,
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  rate_limits TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS calls_day_key ON calls(day, key_id);
CREATE INDEX IF NOT EXISTS calls_run ON calls(run_id);
"""

_SPENT = """
CAST(COALESCE(SUM(CASE
  WHEN status = 'reserved' AND ts > :stale THEN reserved
  WHEN status = 'done' THEN prompt_tokens + completion_tokens
  ELSE 0 END), 0) AS BIGINT)
"""


class CallRecord(BaseModel):
    """Who made a call, for the ledger: never the key itself, only its short id and env name."""

    run_id: str = ""
    task: str
    backend: str
    model: str
    key_id: str = ""
    key_label: str = ""


def estimate_tokens(request: ChatRequest) -> int:
    """A deliberately high guess of the request's worst-case tokens (prompt + max_tokens).

    About 3 characters per token plus per-message overhead overestimates real tokenisers for
    English and HCL, so a settled call rarely costs more than it reserved.
    """
    prompt = sum(math.ceil(len(m.content) / 3) + 8 for m in request.messages)
    return prompt + request.max_tokens


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def next_reset() -> datetime:
    now = datetime.now(UTC)
    return datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)


class Ledger:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = connect(path, _SCHEMA)

    @classmethod
    def in_state_dir(cls, state_dir: Path) -> Ledger:
        return cls(state_dir / "ledger.sqlite3")

    def close(self) -> None:
        self._conn.close()

    def reserve(
        self,
        call: CallRecord,
        tokens: int,
        daily_budget: int | None,
        run_budget: int | None,
    ) -> int:
        """Record a reservation of `tokens`, or raise BudgetExceededError if it would cross."""

        def body(conn: sqlite3.Connection) -> int:
            stale = time.time() - STALE_RESERVATION_S
            if daily_budget is not None and call.key_id:
                spent = conn.execute(
                    f"SELECT {_SPENT} FROM calls WHERE day = :day AND key_id = :key",
                    {"stale": stale, "day": today(), "key": call.key_id},
                ).fetchone()[0]
                if spent + tokens > daily_budget:
                    raise BudgetExceededError(
                        f"daily budget of {daily_budget} tokens for {call.key_label} "
                        f"(key {call.key_id}) would be crossed: {spent} used today, "
                        f"{tokens} needed for {call.backend}:{call.model}",
                        f"it resets at {next_reset():%Y-%m-%d %H:%M} UTC; raise "
                        "INFRAGEN_DAILY_BUDGET_TOKENS / key_budgets or add another key",
                    )
            if run_budget is not None and call.run_id:
                spent = conn.execute(
                    f"SELECT {_SPENT} FROM calls WHERE run_id = :run",
                    {"stale": stale, "run": call.run_id},
                ).fetchone()[0]
                if spent + tokens > run_budget:
                    raise BudgetExceededError(
                        f"run budget of {run_budget} tokens for run {call.run_id} would be "
                        f"crossed: {spent} used, {tokens} needed for {call.backend}:{call.model}",
                        "raise budget_tokens (INFRAGEN_BUDGET_TOKENS) or shorten the request",
                    )
            return self._insert(conn, call, "reserved", reserved=tokens)

        return transaction(self._conn, body)

    def settle(self, call_id: int, usage: TokenUsage, rate_limits: dict[str, str]) -> None:
        transaction(
            self._conn,
            lambda conn: conn.execute(
                "UPDATE calls SET status='done', prompt_tokens=?, completion_tokens=?, "
                "rate_limits=? WHERE id=?",
                (usage.prompt_tokens, usage.completion_tokens, json.dumps(rate_limits), call_id),
            ),
        )

    def release(self, call_id: int) -> None:
        transaction(
            self._conn,
            lambda conn: conn.execute("UPDATE calls SET status='failed' WHERE id=?", (call_id,)),
        )

    def record(
        self,
        call: CallRecord,
        usage: TokenUsage,
        *,
        cached: bool = False,
        rate_limits: dict[str, str] | None = None,
    ) -> int:
        """Record a call that needed no reservation (free backends, cache hits)."""
        status = "cached" if cached else "done"
        return transaction(
            self._conn,
            lambda conn: self._insert(
                conn, call, status, usage=usage, rate_limits=rate_limits or {}
            ),
        )

    def _insert(
        self,
        conn: sqlite3.Connection,
        call: CallRecord,
        status: str,
        *,
        reserved: int = 0,
        usage: TokenUsage | None = None,
        rate_limits: dict[str, str] | None = None,
    ) -> int:
        usage = usage or TokenUsage()
        cursor = conn.execute(
            "INSERT INTO calls (ts, day, run_id, task, backend, model, key_id, key_label, status,"
            " reserved, prompt_tokens, completion_tokens, rate_limits)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                time.time(),
                today(),
                call.run_id,
                call.task,
                call.backend,
                call.model,
                call.key_id,
                call.key_label,
                status,
                reserved,
                usage.prompt_tokens,
                usage.completion_tokens,
                json.dumps(rate_limits or {}),
            ),
        )
        return int(cursor.fetchone()[0])  # RETURNING: SQLite and PostgreSQL alike

    def rows(self, day: str | None = None) -> list[dict]:
        query = "SELECT * FROM calls" + (" WHERE day = ?" if day else "") + " ORDER BY id"
        return [dict(r) for r in self._conn.execute(query, (day,) if day else ()).fetchall()]

    def spent(self, key_id: str, day: str | None = None) -> int:
        return self._conn.execute(
            f"SELECT {_SPENT} FROM calls WHERE day = :day AND key_id = :key",
            {"stale": time.time() - STALE_RESERVATION_S, "day": day or today(), "key": key_id},
        ).fetchone()[0]

"""SQLite files in the state dir, set up for many processes at once (WAL, busy timeout, retry)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tenacity import retry, retry_if_exception, stop_after_delay, wait_random_exponential

T = TypeVar("T")


def _is_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


def connect(path: Path, schema: str) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    _with_busy_retry(lambda: conn.execute("PRAGMA journal_mode=WAL"))
    conn.execute("PRAGMA synchronous=NORMAL")
    _with_busy_retry(lambda: conn.executescript(schema))
    return conn


@retry(
    retry=retry_if_exception(_is_busy),
    wait=wait_random_exponential(multiplier=0.02, max=0.5),
    stop=stop_after_delay(60),
    reraise=True,
)
def _with_busy_retry(action: Callable[[], T]) -> T:
    return action()


def transaction(conn: sqlite3.Connection, body: Callable[[sqlite3.Connection], T]) -> T:
    """Run `body` inside BEGIN IMMEDIATE (one writer at a time), retrying while the file is busy."""

    def attempt() -> T:
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = body(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    return _with_busy_retry(attempt)

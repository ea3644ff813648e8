"""SQLite files in the state dir, set up for many processes at once (WAL, busy timeout, retry), or
the shared PostgreSQL database when INFRAGEN_DATABASE_URL is set."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tenacity import retry, retry_if_exception, stop_after_delay, wait_random_exponential

T = TypeVar("T")


def _is_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc)
    )


def connect(path: Path, schema: str) -> Any:
    """The store's connection: the SQLite file at `path`, or, with INFRAGEN_DATABASE_URL set, the
    shared PostgreSQL database (`infragen.models.postgres_store`; the file's name keys its lock)."""
    from infragen.models.postgres_store import PostgresConnection, database_url

    url = database_url()
    if url:
        return PostgresConnection(url, schema, name=path.stem)
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


def transaction(conn: Any, body: Callable[[Any], T]) -> T:
    """Run `body` inside BEGIN IMMEDIATE (one writer at a time), retrying while the file is busy;
    on PostgreSQL, inside a transaction holding the store's advisory lock."""
    if not isinstance(conn, sqlite3.Connection):
        return conn.transaction(body)

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

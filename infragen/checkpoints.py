"""Run checkpoints in SQLite, so an interrupted run resumes with `infragen resume RUN_ID`."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path


@contextmanager
def open_checkpointer(state_dir: Path) -> Iterator[object]:
    from langgraph.checkpoint.sqlite import SqliteSaver

    state_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(state_dir / "checkpoints.sqlite", check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=30000")
    try:
        yield SqliteSaver(conn)
    finally:
        conn.close()

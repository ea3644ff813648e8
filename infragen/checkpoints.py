"""Run checkpoints in SQLite, so an interrupted run resumes with `infragen resume RUN_ID`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ERROR_CHANNEL = "__error__"  # where LangGraph stores the exception that stopped a node


def masked_writes(writes: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """A node's exception is checkpointed with its message; an API key in it must not be."""
    from infragen.models.keys import mask

    safe = []
    for channel, value in writes:
        if channel == ERROR_CHANNEL and isinstance(value, BaseException):
            text = mask(str(value))
            try:
                value = type(value)(text) if text != str(value) else value
            except Exception:  # an exception type whose constructor wants other arguments
                value = RuntimeError(f"{type(value).__name__}: {text}")
        safe.append((channel, value))
    return safe


@contextmanager
def open_checkpointer(state_dir: Path) -> Iterator[object]:
    from langgraph.checkpoint.sqlite import SqliteSaver

    class MaskingSqliteSaver(SqliteSaver):
        def put_writes(self, config, writes, task_id, task_path=""):
            return super().put_writes(config, masked_writes(writes), task_id, task_path)

    state_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(state_dir / "checkpoints.sqlite", check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=30000")
    try:
        yield MaskingSqliteSaver(conn)
    finally:
        conn.close()

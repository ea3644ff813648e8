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
    """SQLite in the state dir, or PostgreSQL when INFRAGEN_DATABASE_URL is set (any replica or
    process can then resume any run)."""
    from infragen.models.postgres_store import database_url

    url = database_url()
    if url:
        with _postgres_checkpointer(url) as saver:
            yield saver
        return
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


@contextmanager
def _postgres_checkpointer(url: str) -> Iterator[object]:
    try:
        import psycopg
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
    except ImportError as exc:
        from infragen.errors import ConfigError
        from infragen.models.postgres_store import DATABASE_URL_ENV, INSTALL_HINT

        raise ConfigError(
            f"{DATABASE_URL_ENV} is set but a module is missing: {exc.name}", INSTALL_HINT
        ) from exc

    class MaskingPostgresSaver(PostgresSaver):
        def put_writes(self, config, writes, task_id, task_path=""):
            return super().put_writes(config, masked_writes(writes), task_id, task_path)

    options = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
    with psycopg.connect(url, **options) as conn:
        saver = MaskingPostgresSaver(conn)
        # setup() migrates; two processes doing it at once would race on CREATE TABLE
        conn.execute("SELECT pg_advisory_lock(hashtext('infragen-checkpoints'))")
        try:
            saver.setup()
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext('infragen-checkpoints'))")
        yield saver


# Settings a resumed run must keep: the run's own choices. Not stored: where state lives (resume
# finds it there already), whether to ask on a terminal, and model routing (keys must never be
# written; `resume --offline` may change the backend on purpose).
NOT_STORED = frozenset({"state_dir", "ask", "models"})
_RUNS_SCHEMA = """
CREATE TABLE IF NOT EXISTS infragen_runs (run_id TEXT PRIMARY KEY, settings TEXT NOT NULL);
"""


def stored_settings(settings: Any) -> dict[str, Any]:
    """The JSON form of a run's `RunSettings` that `remember_settings` keeps."""
    return settings.model_dump(mode="json", exclude=set(NOT_STORED))


def _runs_store(state_dir: Path) -> Any:
    """Beside the checkpoints: the same SQLite file, or the shared PostgreSQL database."""
    from infragen.models.store import connect

    return connect(state_dir / "checkpoints.sqlite", _RUNS_SCHEMA)


def remember_settings(state_dir: Path, run_id: str, settings: Any) -> None:
    """Keep a new run's settings beside its checkpoints (own table)."""
    import json

    from infragen.models.store import transaction

    conn = _runs_store(state_dir)
    try:
        transaction(
            conn,
            lambda c: c.execute(
                "INSERT INTO infragen_runs (run_id, settings) VALUES (?, ?)"
                " ON CONFLICT (run_id) DO UPDATE SET settings = excluded.settings",
                (run_id, json.dumps(stored_settings(settings))),
            ),
        )
    finally:
        conn.close()


def recall_settings(state_dir: Path, run_id: str) -> dict[str, Any] | None:
    """The settings a run started with, or None (an unknown run, or one from before they were
    stored)."""
    import json

    from infragen.models.postgres_store import database_url

    if not database_url() and not (state_dir / "checkpoints.sqlite").is_file():
        return None
    conn = _runs_store(state_dir)
    try:
        row = conn.execute(
            "SELECT settings FROM infragen_runs WHERE run_id = ?", (run_id,)
        ).fetchone()
    finally:
        conn.close()
    return json.loads(row[0]) if row else None


def resumed_settings(stored: dict[str, Any] | None, given: Any) -> Any:
    """A resumed run's settings: what it started with, then whatever the resume sets explicitly
    (`infragen resume ID --offline`), then the environment for the rest."""
    if not stored:
        return given
    explicit = given.model_dump(include=given.model_fields_set)
    return type(given)(**{**stored, **explicit})

"""The ledger, cache and run settings in PostgreSQL when `INFRAGEN_DATABASE_URL` is set, so several
processes or server replicas share one organisation budget, one ledger and one cache (SQLite files
in the state dir stay the embedded default).

The stores speak one SQL subset (`?` and `:name` parameters, `ON CONFLICT`, `RETURNING`); this
module adapts it: parameters become psycopg's, the schema's SQLite types PostgreSQL's, and a write
transaction takes a transaction-scoped advisory lock per store, as SQLite's `BEGIN IMMEDIATE`
admits one writer at a time.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from infragen.errors import ConfigError

T = TypeVar("T")
DATABASE_URL_ENV = "INFRAGEN_DATABASE_URL"
INSTALL_HINT = "pip install 'infragen-iac[postgres]' (psycopg and langgraph-checkpoint-postgres)"

_NAMED = re.compile(r"(?<![:\w]):([a-z_]+)")
_TYPES = ((re.compile(r"\bINTEGER PRIMARY KEY\b"), "BIGSERIAL PRIMARY KEY"),
          (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"))  # fmt: skip


def database_url() -> str | None:
    """PostgreSQL for the shared state, or None for the SQLite files (the default); read like
    every setting (argument > env > .env > config file), never logged (it may hold a password)."""
    from infragen.models.config import ModelSettings

    url = ModelSettings().database_url
    return url.get_secret_value() if url and url.get_secret_value() else None


def to_psycopg(sql: str) -> str:
    """`?` and `:name` parameters as psycopg's `%s` and `%(name)s`."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%")).replace("?", "%s")


def to_postgres_schema(schema: str) -> str:
    for pattern, replacement in _TYPES:
        schema = pattern.sub(replacement, schema)
    return schema


class Row(dict):
    """A result row read by name (`row["content"]`, `dict(row)`) or position (`row[0]`), as
    sqlite3.Row is."""

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int):
            return list(self.values())[key]
        return super().__getitem__(key)


def _row_factory(cursor: Any) -> Callable[[Any], Row]:
    names = [c.name for c in cursor.description or ()]
    return lambda values: Row(zip(names, values, strict=True))


class PostgresConnection:
    """The part of sqlite3.Connection the stores use, on one psycopg connection."""

    def __init__(self, url: str, schema: str, name: str) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise ConfigError(
                f"{DATABASE_URL_ENV} is set but psycopg is missing", INSTALL_HINT
            ) from exc
        self.name = name  # the advisory lock's key: one writer per store at a time
        self._lock = threading.RLock()
        self._conn = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        with self._lock, self._conn.transaction():
            # concurrent first connections would race on CREATE ... IF NOT EXISTS
            self._conn.execute("SELECT pg_advisory_xact_lock(hashtext('infragen-schema'))")
            for statement in to_postgres_schema(schema).split(";"):
                if statement.strip():
                    self._conn.execute(statement)

    def execute(self, sql: str, params: Any = ()) -> Any:
        with self._lock:
            return self._conn.execute(to_psycopg(sql) if params else sql, params or None)

    def transaction(self, body: Callable[[PostgresConnection], T]) -> T:
        with self._lock, self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self.name,))
            return body(self)

    def close(self) -> None:
        self._conn.close()

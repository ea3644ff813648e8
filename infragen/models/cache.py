"""The response cache: the same model, messages and parameters replay without a call.

Keyed by a hash of everything that shapes the answer (backend, model, messages, max_tokens,
temperature and the structured payload the offline backend reads). Replays cost zero tokens.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from infragen.models.base import ChatRequest, ChatResponse
from infragen.models.store import connect, transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
  key TEXT PRIMARY KEY,
  backend TEXT NOT NULL,
  model TEXT NOT NULL,
  content TEXT NOT NULL,
  created REAL NOT NULL
);
"""


def cache_key(backend: str, model: str, request: ChatRequest) -> str:
    shape = {
        "backend": backend,
        "model": model,
        "messages": [m.model_dump() for m in request.messages],
        "max_tokens": request.max_tokens,
        "temperature": request.temperature,
        "task": request.task,
        "payload": request.payload,
    }
    blob = json.dumps(shape, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


class ResponseCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = connect(path, _SCHEMA)

    @classmethod
    def in_state_dir(cls, state_dir: Path) -> ResponseCache:
        return cls(state_dir / "cache.sqlite3")

    def close(self) -> None:
        self._conn.close()

    def get(self, backend: str, model: str, request: ChatRequest) -> ChatResponse | None:
        row = self._conn.execute(
            "SELECT content FROM responses WHERE key = ?", (cache_key(backend, model, request),)
        ).fetchone()
        if row is None:
            return None
        return ChatResponse(content=row["content"], model_used=model, backend=backend, cached=True)

    def put(self, backend: str, model: str, request: ChatRequest, content: str) -> None:
        key = cache_key(backend, model, request)
        transaction(
            self._conn,
            lambda conn: conn.execute(
                "INSERT INTO responses VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
                " backend = excluded.backend, model = excluded.model,"
                " content = excluded.content, created = excluded.created",
                (key, backend, model, content, time.time()),
            ),
        )

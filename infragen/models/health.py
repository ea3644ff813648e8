"""What this process has learned about models and keys: retired for good, or parked until reset.

A decommissioned or unknown model, or a rejected key, is retired for the rest of the process so
no later task pays for the same failure; a daily-limit 429 parks that key and model until its
reset time.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger("infragen.models")


class Health:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._retired_models: dict[tuple[str, str], str] = {}
        self._retired_keys: dict[tuple[str, str], str] = {}
        self._parked: dict[tuple[str, str, str], float] = {}

    def retire_model(self, backend: str, model: str, reason: str) -> None:
        with self._lock:
            self._retired_models[(backend, model)] = reason
        log.error("retiring model %s:%s for this process: %s", backend, model, reason)

    def retire_key(self, backend: str, key_id: str, reason: str) -> None:
        with self._lock:
            self._retired_keys[(backend, key_id)] = reason
        log.error("retiring %s key %s for this process: %s", backend, key_id, reason)

    def park(self, backend: str, model: str, key_id: str, seconds: float) -> None:
        with self._lock:
            self._parked[(backend, model, key_id)] = time.time() + seconds
        log.warning(
            "daily limit: %s:%s on key %s parked for %.0fs", backend, model, key_id, seconds
        )

    def model_retired(self, backend: str, model: str) -> str | None:
        with self._lock:
            return self._retired_models.get((backend, model))

    def key_retired(self, backend: str, key_id: str) -> str | None:
        with self._lock:
            return self._retired_keys.get((backend, key_id))

    def parked_until(self, backend: str, model: str, key_id: str) -> float | None:
        with self._lock:
            until = self._parked.get((backend, model, key_id))
        return until if until and until > time.time() else None


PROCESS_HEALTH = Health()

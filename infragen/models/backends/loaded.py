"""In-process models kept loaded, at most N at a time, least recently used evicted first."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

log = logging.getLogger("infragen.models")


class LoadedModels:
    """`locate(name)` is a cheap check (are the weights on disk?) run before anything is evicted,
    so asking for a model that is not there does not unload one that works."""

    def __init__(
        self,
        max_loaded: int,
        load: Callable[[str], Any],
        locate: Callable[[str], object] | None = None,
    ) -> None:
        self.max_loaded = max(1, max_loaded)
        self._load = load
        self._locate = locate
        self._models: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str) -> Any:
        with self._lock:
            if name in self._models:
                self._models.move_to_end(name)
                return self._models[name]
            if self._locate is not None:
                self._locate(name)
            while len(self._models) >= self.max_loaded:
                evicted, model = self._models.popitem(last=False)
                log.info("unloading model %s to stay within %d loaded", evicted, self.max_loaded)
                close = getattr(model, "close", None)
                if close:
                    close()
            log.info("loading model %s", name)
            self._models[name] = self._load(name)
            return self._models[name]

    def preload(self, names: list[str]) -> list[str]:
        """Load `names` in order until MAX_LOADED are loaded (MODEL_PRELOAD); a name whose weights
        cannot be loaded here is logged and left to fail over on its first call."""
        done: list[str] = []
        for name in dict.fromkeys(names):
            if len(done) == self.max_loaded:
                break
            try:
                self.get(name)
            except Exception as exc:  # any load failure: missing file, bad GGUF, no memory
                log.warning("not preloading %s: %s", name, exc)
                continue
            done.append(name)
        return done

    def loaded(self) -> list[str]:
        with self._lock:
            return list(self._models)

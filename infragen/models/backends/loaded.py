"""In-process models kept loaded, at most N at a time, least recently used evicted first."""

from __future__ import annotations

import importlib
import logging
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from infragen.errors import ConfigError
from infragen.models.base import BackendCallError

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


class InProcessBackend(ABC):
    """What the llama.cpp and transformers backends share: fail early with an install hint when
    their library is missing, resolve aliases through the registry's [local_models], keep models
    in a `LoadedModels`, and generate one request at a time per backend."""

    name = ""
    library = ""  # the module that must be importable
    install_hint = ""

    def __init__(self, settings: Any, local_models: dict[str, str] | None = None) -> None:
        try:  # fail at construction with a hint, not on the first call
            importlib.import_module(self.library)
        except ImportError as exc:
            raise ConfigError(f"{self.library} is not installed", self.install_hint) from exc
        self.settings = settings
        if local_models is None:
            from infragen.models.registry import Registry

            local_models = Registry.load(settings.models_file).local_models
        self.local_models = local_models
        self.models = LoadedModels(settings.model_max_loaded, self._load, self.locate)
        # one generation at a time on a loaded model; graph nodes may call from threads
        self._generating = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Any, key: Any = None) -> InProcessBackend:
        return cls(settings)

    @abstractmethod
    def locate(self, name: str) -> object:
        """Cheap check that `name`'s weights are on this machine (raises ConfigError)."""

    @abstractmethod
    def _load(self, name: str) -> Any:
        """Load `name` (called by `LoadedModels`, which keeps at most MODEL_MAX_LOADED)."""

    def loaded_model(self, name: str) -> Any:
        """The model, loading it if needed; a model that cannot load is a permanent failure."""
        try:
            return self.models.get(name)
        except ConfigError as exc:
            raise BackendCallError("permanent", exc.one_line()) from None

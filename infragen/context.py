"""Per-run services that reach nodes through LangGraph's runtime context, not globals."""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, create_model

from infragen.settings import RunSettings


def build_models(
    settings: RunSettings,
    task_models: dict[str, str] | None = None,
    run_id: str = "",
    factories: dict[str, Any] | None = None,
) -> Any:
    """The model router for a run: model routing settings come from `settings.models` (read from
    the same sources as every setting), run flags (offline, cache, budget, --model) override them.
    `factories` replaces how a backend is built (`{"groq": lambda settings, key: backend}`)."""
    from infragen.models.router import ModelRouter

    base = settings.models
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


SERVER_OPTIONS = (
    "offline",
    "catalogue_first",
    "no_cache",
    "fail_on",
    "skip_checks",
    "max_monthly_cost",
    "budget_tokens",
    "max_tokens_clarifier",
    "max_tokens_planner",
    "max_tokens_architect",
    "max_tokens_ansible",
)
"""The `RunSettings` a LangGraph Server caller may set per run through `context`. Left out: paths
on the server (policies, state_dir: policies travel as text in the input), `plan`/`allow_exec` (they
run Terraform on the server), `ask` (no terminal) and `max_request_chars` (the operator's limit);
`max_retries` is part of the input."""


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    _context: Any = PrivateAttr(None)  # the RunContext every node of this run shares


RunOptions = create_model(
    "RunOptions",
    __doc__="Per-run settings a LangGraph Server run takes as `context` (unset: the environment).",
    __base__=_Options,
    **{name: (RunSettings.model_fields[name].annotation, RunSettings.model_fields[name])
       for name in SERVER_OPTIONS},
)  # fmt: skip
"""The graph's context schema: what Studio's form and `/assistants/{id}/schemas` show. Built from
RunSettings' own fields, so bounds, defaults and descriptions are written once."""


@dataclass
class RunContext:
    settings: RunSettings = field(default_factory=RunSettings)
    models: Any = None
    """Anything with `complete(ChatRequest) -> ChatResponse`: the model router, or a scripted fake."""
    on_event: Callable[[str, dict[str, Any]], None] | None = None
    interactive: bool = False
    """Someone can answer the clarifier's questions (the run pauses on a LangGraph interrupt)."""
    scratch: Path | None = None
    """The workspace once made (`workspace` makes it on first use, in the node's worker thread:
    `tempfile.mkdtemp` calls `os.getcwd`, which LangGraph Server forbids on its event loop)."""

    @property
    def workspace(self) -> Path:
        """Private scratch directory where gates see the project; never the user's output directory."""
        if self.scratch is None:
            self.scratch = Path(tempfile.mkdtemp(prefix="infragen-"))
        return self.scratch

    def remove_workspace(self) -> None:
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None

    def model_router(self) -> Any:
        """The models to ask; built from settings on first use (LangGraph Studio passes none)."""
        if self.models is None:
            self.models = build_models(self.settings)
        return self.models

    def emit(self, name: str, **data: Any) -> None:
        if self.on_event is not None:
            self.on_event(name, data)


_PER_RUN: OrderedDict[str, RunContext] = OrderedDict()
_PER_RUN_LOCK = threading.Lock()
_PER_RUN_KEPT = 64  # runs that end without the reporter (a crash) leave their entry: bound them


def context_of(runtime: Any) -> RunContext:
    """The run's context. The API passes a RunContext. LangGraph Server and Studio pass the
    request's `context` (coerced to `RunOptions` once per run), or nothing: every node of one run
    then gets the same RunContext, built from the environment and those options on first use (in a
    node's worker thread: reading `.env` blocks), so a run keeps one workspace and one model router
    and two concurrent runs never share a workspace."""
    given = runtime.context
    if isinstance(given, RunContext):
        return given
    with _PER_RUN_LOCK:
        if isinstance(given, _Options):
            if given._context is None:
                settings = RunSettings(**given.model_dump(exclude_unset=True))
                given._context = RunContext(settings=settings)
            return given._context
        key = _run_key()
        found = _PER_RUN.get(key)
        if found is None:
            found = _PER_RUN[key] = RunContext(settings=RunSettings(**(given or {})))
            while len(_PER_RUN) > _PER_RUN_KEPT:
                _PER_RUN.popitem(last=False)[1].remove_workspace()
        return found


def release_context(runtime: Any) -> None:
    """Remove a served run's workspace and forget its context (the reporter, the last node)."""
    given = runtime.context
    if isinstance(given, RunContext):
        return  # the API owns it and cleans it up
    if isinstance(given, _Options):
        found, given._context = given._context, None
    else:
        with _PER_RUN_LOCK:
            found = _PER_RUN.pop(_run_key(), None)
    if found is not None:
        found.remove_workspace()


def _run_key() -> str:
    """One key per run: the server's run id, else the thread (an `invoke` outside the server)."""
    from langgraph.config import get_config

    config = get_config()
    run_id = config.get("metadata", {}).get("run_id") or config.get("configurable", {}).get(
        "run_id"
    )
    thread = config.get("configurable", {}).get("thread_id")
    return f"{run_id or ''}/{thread or ''}"

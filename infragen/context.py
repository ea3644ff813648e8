"""Per-run services that reach nodes through LangGraph's runtime context, not globals."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infragen.settings import RunSettings


@dataclass
class RunContext:
    settings: RunSettings = field(default_factory=RunSettings)
    models: Any = None
    """Anything with `complete(ChatRequest) -> ChatResponse`: the model router, or a scripted fake."""
    workspace: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="infragen-")))
    """Private scratch directory where gates see the project; never the user's output directory."""
    on_event: Callable[[str, dict[str, Any]], None] | None = None

    def emit(self, name: str, **data: Any) -> None:
        if self.on_event is not None:
            self.on_event(name, data)

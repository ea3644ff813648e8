"""Reporter (no model, last node): the run report in the final state, where a LangGraph Server
caller reads it (the API builds its own, with the output directory and any error it saw)."""

from __future__ import annotations

from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.runtime import Runtime

from infragen.context import RunContext, release_context
from infragen.report import build_report
from infragen.state import State


def run_id_of(config: RunnableConfig) -> str:
    """The server's run id, else the checkpoint thread (`infragen resume` names runs by it)."""
    metadata = config.get("metadata") or {}
    configurable = config.get("configurable") or {}
    return str(metadata.get("run_id") or configurable.get("thread_id") or "")


def report(state: State, runtime: Runtime[RunContext], config: RunnableConfig) -> dict[str, Any]:
    release_context(runtime)  # a served run's scratch directory goes with its last node
    return {"report": build_report(dict(state), output_dir=None, run_id=run_id_of(config))}

"""graph/langgraph.json serves the graph: the factory it names imports (as `langgraph dev` does) and
the compiled graph runs a request with the JSON context a LangGraph Server run carries."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "graph" / "langgraph.json"


def load_factory():
    """The factory as `langgraph dev` loads a module path: by importing it."""
    config = json.loads(CONFIG.read_text())
    module_name, _, attr = config["graphs"]["infragen"].partition(":")
    return getattr(importlib.import_module(module_name), attr)


def test_config_dependencies_point_at_the_installable_project():
    config = json.loads(CONFIG.read_text())
    [dependency] = config["dependencies"]
    assert (CONFIG.parent / dependency / "pyproject.toml").is_file()
    assert (CONFIG.parent / dependency / "infragen" / "__init__.py").is_file()


def test_served_graph_runs_with_a_json_context(monkeypatch):
    monkeypatch.setenv(
        "INFRAGEN_OFFLINE", "true"
    )  # the server's settings come from the environment
    graph = load_factory()({"configurable": {}})
    out = graph.invoke({"request": "tell me a joke about cats"}, context={})
    assert "covered:" in out["refusal"]
    assert not out.get("files")  # refused before the architect wrote anything
    planned = graph.invoke(
        {"request": "create an sqs queue"}, context={}, interrupt_before=["architect"]
    )
    assert planned.get("refusal") is None
    assert "sqs" in json.dumps(planned["plan"]).lower()


def test_served_graph_runs_with_no_context_at_all(monkeypatch):
    """A LangGraph Server run that sends only `input`: nodes build their context from the env."""
    monkeypatch.setenv("INFRAGEN_OFFLINE", "true")
    graph = load_factory()({"configurable": {}})
    planned = graph.invoke({"request": "create an sqs queue"}, interrupt_before=["architect"])
    assert planned.get("refusal") is None and "sqs" in json.dumps(planned["plan"]).lower()


def test_served_graph_takes_settings_from_the_context(monkeypatch):
    """`context` overrides the environment per run; the final state carries the report."""
    monkeypatch.setenv("INFRAGEN_OFFLINE", "false")
    graph = load_factory()({"configurable": {}})
    request = {"request": "tell me a joke about cats"}
    offline = graph.invoke(request, context={"offline": True})["report"]
    assert offline["status"] == "refused"
    assert offline["usage"]["by_model"] == {"offline:blueprints": 0}
    from_env = graph.invoke(request, context={})["report"]  # INFRAGEN_OFFLINE=false, no key
    assert (
        from_env["status"] == "refused"
        and "offline:blueprints" not in from_env["usage"]["by_model"]
    )
    with pytest.raises(ValueError, match="ofline"):  # a misspelt setting is an error, not ignored
        graph.invoke({"request": "create an sqs queue"}, context={"ofline": True})

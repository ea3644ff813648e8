"""graph/langgraph.json serves the graph: the factory it names loads from its path (as `langgraph dev`
does) and the compiled graph runs a request with the JSON context a LangGraph Server run carries."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "graph" / "langgraph.json"


def load_factory():
    config = json.loads(CONFIG.read_text())
    file_part, _, attr = config["graphs"]["infragen"].partition(":")
    spec = importlib.util.spec_from_file_location(
        "langgraph_server_entry", (CONFIG.parent / file_part).resolve()
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, attr)


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

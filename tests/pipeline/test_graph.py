"""The committed diagram and langgraph.json stay in step with the code."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from infragen.graph import mermaid

ROOT = Path(__file__).resolve().parents[2]
NODE_ORDER = [
    "clarifier",
    "planner",
    "architect",
    "validator",
    "completeness",
    "deep_validator",
    "security",
    "reviewer",
    "parser",
    "finops",
    "ansible",
    "reporter",
]


def test_committed_diagram_matches_compiled_graph():
    committed = (ROOT / "graph" / "graph.mmd").read_text()
    assert committed == mermaid(), "graph/graph.mmd is stale: run `make graph`"


def test_langgraph_json_names_a_loadable_graph_factory():
    """A module path, not a file path: `langgraph dev` resolves file paths from the working
    directory, so `../infragen/graph.py` failed from the repository root."""
    config = json.loads((ROOT / "graph" / "langgraph.json").read_text())
    module_name, _, attr = config["graphs"]["infragen"].partition(":")
    assert "/" not in module_name and not module_name.endswith(".py")
    compiled = getattr(importlib.import_module(module_name), attr)()
    nodes = [n for n in compiled.get_graph().nodes if not n.startswith("__")]
    assert nodes == NODE_ORDER

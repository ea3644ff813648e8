"""The committed diagram and langgraph.json stay in step with the code."""

from __future__ import annotations

import importlib.util
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
    "parser",
    "finops",
    "ansible",
]


def test_committed_diagram_matches_compiled_graph():
    committed = (ROOT / "graph" / "graph.mmd").read_text()
    assert committed == mermaid(), "graph/graph.mmd is stale: run `make graph`"


def test_langgraph_json_names_a_loadable_graph_factory():
    config_path = ROOT / "graph" / "langgraph.json"
    config = json.loads(config_path.read_text())
    target = config["graphs"]["infragen"]
    file_part, _, attr = target.partition(":")
    module_path = (config_path.parent / file_part).resolve()
    assert module_path.is_file()
    spec = importlib.util.spec_from_file_location("infragen_graph_entry", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    compiled = getattr(module, attr)()
    nodes = [n for n in compiled.get_graph().nodes if not n.startswith("__")]
    assert nodes == NODE_ORDER

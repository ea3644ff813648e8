"""build_graph(): wiring only. Node logic lives in infragen/nodes/, routers are pure functions."""

from __future__ import annotations

from typing import Literal

from langgraph.graph import END, START, StateGraph

from infragen.context import RunContext
from infragen.nodes.ansible import write_ansible
from infragen.nodes.architect import architect
from infragen.nodes.clarify import clarify
from infragen.nodes.completeness import completeness
from infragen.nodes.deep_validate import deep_validate
from infragen.nodes.finops import finops
from infragen.nodes.parse import parse
from infragen.nodes.plan import plan
from infragen.nodes.security import security
from infragen.nodes.validate import validate
from infragen.state import State

DEFAULT_MAX_RETRIES = 3


def after_clarifier(state: State) -> Literal["planner", "__end__"]:
    return END if state.get("refusal") else "planner"


def _retry_or(next_node: str, gate: str, state: State, max_retries: int) -> str:
    failed = state.get("gates", {}).get(gate, {}).get("status") == "failed"
    return "architect" if failed and state.get("attempt", 0) < max_retries else next_node


def route_after(gate: str, next_node: str):
    """A router that sends a failed gate back to the architect while attempts remain."""

    def router(state: State, config=None) -> str:
        max_retries = state.get("max_retries") or DEFAULT_MAX_RETRIES
        return _retry_or(next_node, gate, state, max_retries)

    router.__name__ = f"after_{gate}"
    return router


def build_graph() -> StateGraph:
    g = StateGraph(State, context_schema=RunContext)
    g.add_node("clarifier", clarify)
    g.add_node("planner", plan)
    g.add_node("architect", architect)
    g.add_node("validator", validate)
    g.add_node("completeness", completeness)
    g.add_node("deep_validator", deep_validate)
    g.add_node("security", security)
    g.add_node("parser", parse)
    g.add_node("finops", finops)
    g.add_node("ansible", write_ansible)

    g.add_edge(START, "clarifier")
    g.add_conditional_edges("clarifier", after_clarifier, ["planner", END])
    g.add_edge("planner", "architect")
    g.add_edge("architect", "validator")
    g.add_conditional_edges("validator", route_after("validate", "completeness"),
                            ["architect", "completeness"])
    g.add_conditional_edges("completeness", route_after("completeness", "deep_validator"),
                            ["architect", "deep_validator"])
    g.add_edge("deep_validator", "security")
    g.add_conditional_edges("security", route_after("security", "parser"), ["architect", "parser"])
    g.add_edge("parser", "finops")
    g.add_edge("finops", "ansible")
    g.add_edge("ansible", END)
    return g


def compile_graph(checkpointer=None):
    return build_graph().compile(checkpointer=checkpointer)


def mermaid() -> str:
    """The diagram committed as graph/graph.mmd (`make graph`); a test keeps it in step."""
    return build_graph().compile().get_graph().draw_mermaid()


def make_graph(config=None):
    """Factory named in graph/langgraph.json for `langgraph dev` / LangGraph Server."""
    return compile_graph()

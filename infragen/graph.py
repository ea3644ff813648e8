"""build_graph(): wiring only. Node logic lives in infragen/nodes/, routers are pure functions."""

from __future__ import annotations

from typing import Literal

from langgraph.graph import END, START, StateGraph

from infragen.context import RunOptions
from infragen.nodes.ansible import write_ansible
from infragen.nodes.architect import architect
from infragen.nodes.clarify import clarify
from infragen.nodes.completeness import completeness
from infragen.nodes.deep_validate import deep_validate
from infragen.nodes.finops import finops
from infragen.nodes.parse import parse
from infragen.nodes.plan import plan
from infragen.nodes.report import report
from infragen.nodes.review import retry_wanted, review, unusable
from infragen.nodes.security import security
from infragen.nodes.validate import validate
from infragen.state import NODE_ORDER, RunInput, State


def after_clarifier(state: State) -> Literal["planner", "reporter"]:
    return "reporter" if state.get("refusal") else "planner"


def after_validator(state: State) -> Literal["reviewer", "completeness"]:
    """Unparsable code, or an answer with no usable code, goes straight to review (and back to
    the architect): no other gate can say anything useful about it."""
    return "reviewer" if unusable(state) else "completeness"


def after_reviewer(state: State) -> Literal["architect", "parser"]:
    """Retry with every gate's findings at once, so one revision can fix them all."""
    return "architect" if retry_wanted(state) else "parser"


def build_graph() -> StateGraph:
    # The API passes a RunContext as the context; LangGraph Server a `RunOptions` from the request
    # (the published context schema), which `context_of` turns into one RunContext per run.
    g = StateGraph(State, context_schema=RunOptions, input_schema=RunInput)
    steps = {"clarifier": clarify, "planner": plan, "architect": architect, "validator": validate,
             "completeness": completeness, "deep_validator": deep_validate, "security": security,
             "reviewer": review, "parser": parse, "finops": finops, "ansible": write_ansible}  # fmt: skip
    for name in NODE_ORDER:
        g.add_node(name, steps[name])
    g.add_node("reporter", report)  # after the main path: the final state carries the report

    g.add_edge(START, "clarifier")
    g.add_conditional_edges("clarifier", after_clarifier, ["planner", "reporter"])
    g.add_edge("planner", "architect")
    g.add_edge("architect", "validator")
    g.add_conditional_edges("validator", after_validator, ["reviewer", "completeness"])
    g.add_edge("completeness", "deep_validator")
    g.add_edge("deep_validator", "security")
    g.add_edge("security", "reviewer")
    g.add_conditional_edges("reviewer", after_reviewer, ["architect", "parser"])
    g.add_edge("parser", "finops")
    g.add_edge("finops", "ansible")
    g.add_edge("ansible", "reporter")
    g.add_edge("reporter", END)
    return g


def compile_graph(checkpointer=None):
    return build_graph().compile(checkpointer=checkpointer)


def mermaid() -> str:
    """The diagram committed as graph/graph.mmd (`make graph`); a test keeps it in step."""
    return build_graph().compile().get_graph().draw_mermaid()


def make_graph(config=None):
    """Factory named in graph/langgraph.json (`infragen.graph:make_graph`, a module path, so
    `langgraph dev` finds it from any working directory) for `langgraph dev` / LangGraph Server."""
    return compile_graph()

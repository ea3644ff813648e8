"""Planner (lightweight tier): expand the spec into ordered components and expected resources."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext, context_of
from infragen.domain import Plan, Spec
from infragen.nodes.catalogue import catalogue_record, planned_if_covered
from infragen.prompting import ask_structured, compact_json
from infragen.state import State


def plan(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = context_of(runtime)
    spec = Spec.model_validate(state["spec"])
    covered = planned_if_covered(spec) if ctx.settings.catalogue_first else None
    if covered is not None:
        return {"plan": covered.model_dump(), "calls": [catalogue_record("planner")]}

    def parse(data: dict[str, Any]) -> Plan:
        return Plan.model_validate({**data, "spec": spec.model_dump()})

    def fallback() -> Plan:
        from infragen import offline

        return offline.plan_spec(spec)

    result, calls = ask_structured(
        ctx.model_router(),
        "planner",
        "planner",
        parse=parse,
        fallback=fallback,
        max_tokens=ctx.settings.max_tokens_for("planner"),
        payload={"spec": state["spec"]},
        spec=compact_json(spec.model_dump(exclude={"request"})),
    )
    return {"plan": result.model_dump(), "calls": calls}

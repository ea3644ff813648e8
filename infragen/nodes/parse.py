"""Parser (no model): the resource inventory used by cost, the report and the Ansible inventory."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext
from infragen.state import State
from infragen.tools.hcl import HclParseError, Inventory, inventory_from_texts
from infragen.workspace import subset


def describe(inventory: Inventory) -> dict[str, Any]:
    return {
        "resources": inventory.summary(),
        "resource_count": sum(inventory.summary().values()),
        "outputs": sorted(inventory.outputs),
        "variables": sorted(inventory.variables),
        "providers": sorted(inventory.required_providers),
    }


def parse(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    try:
        inventory = inventory_from_texts(subset(state["files"], "terraform/"))
    except HclParseError as exc:
        return {"inventory": {"error": str(exc), "resources": {}, "outputs": []}}
    return {"inventory": describe(inventory)}

"""The offline backend's brain: a deterministic request parser and planner (no model needed)."""

from infragen.offline.parser import parse_request
from infragen.offline.planner import plan_spec

__all__ = ["parse_request", "plan_spec"]

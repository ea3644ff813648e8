"""Canonical, safe component options before rendering.

The planner also receives specs written by a model, so every option that reaches a template is
checked here: unknown engines, malformed instance classes or domains fall back to the catalogue
default instead of being pasted into HCL.
"""

from __future__ import annotations

import re
from typing import Any

from infragen.blueprints.registry import Component
from infragen.domain import ComponentSpec
from infragen.offline import vocabulary as v

_AURORA = {"postgres": "aurora-postgresql", "mysql": "aurora-mysql"}
_PURPOSE = re.compile(r"^[a-z][a-z0-9]{0,11}$")


def _engine(kind: str, value: Any) -> str | None:
    name = str(value).lower().removeprefix("aurora-").removeprefix("aurora")
    engine = v.ENGINES.get(name.strip("- ")) if name else None
    if kind == "aurora":
        return _AURORA.get(engine or "")
    return engine


def _matches(pattern: re.Pattern[str], value: Any) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def _checks(kind: str) -> dict[str, Any]:
    """Option name -> predicate; an option failing its predicate takes the default."""
    return {
        "instance_type": lambda x: (
            _matches(v.INSTANCE_CLASS, x) and not x.startswith(("db.", "cache."))
        ),
        "instance_class": lambda x: _matches(v.INSTANCE_CLASS, x) and x.startswith("db."),
        "node_type": lambda x: _matches(v.INSTANCE_CLASS, x) and x.startswith("cache."),
        "domain": lambda x: _matches(v.DOMAIN, x) and len(x) <= 253,
        "purpose": lambda x: _matches(_PURPOSE, x),
        "storage_gb": lambda x: isinstance(x, int) and 20 <= x <= 65536,
        "multi_az": lambda x: isinstance(x, bool),
        "internal": lambda x: isinstance(x, bool),
        "web_server": lambda x: x in ("", "nginx", "apache"),
        "runtime": lambda x: x == "python3.13",
    }


def sanitise(spec: ComponentSpec, component: Component) -> ComponentSpec:
    """A copy of `spec` with defaults filled in and every option canonical and safe to render."""
    options = {**component.defaults, **spec.options}
    if "engine" in options:
        engine = _engine(spec.kind, options["engine"]) or component.defaults.get("engine")
        if engine:
            options["engine"] = engine
        else:  # a component with a single engine (redis) has no engine option to set
            options.pop("engine")
    if isinstance(options.get("web_server"), str):
        options["web_server"] = v.WEB_SERVERS.get(
            options["web_server"].lower(), options["web_server"]
        )
    for name, valid in _checks(spec.kind).items():
        if name in options and not valid(options[name]):
            if name in component.defaults:
                options[name] = component.defaults[name]
            else:
                options.pop(name)
    count = max(1, min(spec.count, v.MAX_COUNT)) if component.countable else 1
    return ComponentSpec(kind=spec.kind, count=count, options=options)

"""Canonical, safe component options before rendering.

The planner also receives specs written by a model, so every option that reaches a template is
checked here: unknown engines, malformed instance classes or domains fall back to the catalogue
default instead of being pasted into HCL.
"""

from __future__ import annotations

import ipaddress
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
        **_detail_checks(kind),
    }


def _is_int(x: Any, low: int, high: int) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and low <= x <= high


def _cidr(x: Any) -> bool:
    try:
        return isinstance(x, str) and ipaddress.ip_network(x).prefixlen > 0
    except ValueError:
        return False


def _every(check: Any) -> Any:
    return lambda xs: isinstance(xs, list | tuple) and all(check(x) for x in xs)


def _detail_checks(kind: str) -> dict[str, Any]:
    """Checks for the details a request may name (see `infragen.offline.attributes`)."""
    from infragen.offline import attributes as a
    from infragen.offline.details import STORAGE_CLASSES

    runtimes = {f"python{x}" for x in a.RUNTIMES["python"]} | {
        f"nodejs{x}.x" for x in a.RUNTIMES["node"]
    }
    name_rule = a.NAME_RULES.get(kind, re.compile(r"^$"))
    flag = lambda x: isinstance(x, bool)  # noqa: E731
    return {
        "engine_version": lambda x: x in {v for vs in a.ENGINE_VERSIONS.values() for v in vs},
        "backup_days": lambda x: _is_int(x, 1, 35),
        "deletion_protection": flag,
        "runtime": lambda x: x in runtimes,
        "memory_mb": lambda x: _is_int(x, 128, 10240),
        "timeout_s": lambda x: _is_int(x, 1, 900),
        "visibility_timeout_s": lambda x: _is_int(x, 0, 43200),
        "min_size": lambda x: _is_int(x, 0, 100),
        "max_size": lambda x: _is_int(x, 1, 100),
        "desired": lambda x: _is_int(x, 0, 100),
        "retention_days": (lambda x: _is_int(x, 60, 1209600))
        if kind == "sqs"
        else (lambda x: x in a.LOG_RETENTION_DAYS),
        "name": lambda x: isinstance(x, str) and name_rule.fullmatch(x) is not None,
        "queues": _every(
            lambda x: isinstance(x, str) and a.NAME_RULES["sqs"].fullmatch(x) is not None
        ),
        "cidr": _cidr,
        "admin_cidr": lambda x: _cidr(x) and x != "0.0.0.0/0",
        "emails": _every(
            lambda x: (
                isinstance(x, str)
                and re.fullmatch(r"[\w.+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+", x) is not None
            )
        ),
        "ttl_attribute": lambda x: _matches(a._ATTRIBUTE, x),
        "hash_key": lambda x: _matches(a._ATTRIBUTE, x),
        "range_key": lambda x: _matches(a._ATTRIBUTE, x),
        "expiration_days": lambda x: _is_int(x, 1, 36500),
        "transitions": _every(
            lambda t: (
                isinstance(t, list | tuple)
                and len(t) == 2
                and t[0] in STORAGE_CLASSES.values()
                and _is_int(t[1], 0, 36500)
            )
        ),
        "alias": lambda x: _matches(re.compile(r"^(?!aws)[a-z0-9][a-z0-9/_-]{0,249}$"), x),
        "record": lambda x: _matches(v.DOMAIN, x) and len(x) <= 253,
        "cpu_alarm": _every(
            lambda t: (
                isinstance(t, list | tuple)
                and len(t) == 2
                and t[0] in ("", "ec2", "asg", "rds", "aurora", "elasticache")
                and _is_int(t[1], 1, 100)
            )
        ),
        "existing_buckets": _every(
            lambda b: (
                isinstance(b, dict)
                and _matches(a.NAME_RULES["s3"], b.get("name"))
                and b.get("access") in ("read", "write", "read,write")
            )
        ),
        "dynamodb_access": _every(lambda x: x in ("read", "write")),
        **{
            k: flag
            for k in (
                "fifo",
                "mutable_tags",
                "nat_per_az",
                "to_sqs",
                "prefix_names",
                "notify_lambda",
                "to_lambda",
            )
        },
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

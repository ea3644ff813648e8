"""What a run on the emulator adds to the scratch copy besides the provider override.

- Placeholder values for root variables without a default (a plan cannot run without them), by
  type and by name (a CIDR for `*_cidr`, an address for `*email*`), written as an auto tfvars file
  and named in the gate's findings.
- A teardown override: before `destroy`, deletion protection is switched off on the resources
  that have it, as anyone tearing down a stack does first, so `destroy` can finish.
- A gap override: an argument whose API moto lacks (detailed monitoring on an instance calls
  MonitorInstances) is switched off in the copy, so the rest of the resource is still checked;
  the gate names each such change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from infragen.tools.hcl import parse_text

INPUTS_FILE = "zz_infragen_emulator.auto.tfvars.json"
CERTIFICATE = "<certificate issued on the emulator>"
TEARDOWN_FILE = "zz_infragen_emulator_teardown_override.tf"
# Resource type -> the argument that keeps `destroy` from deleting it, and its "off" value.
PROTECTION = {
    "aws_db_instance": ("deletion_protection", "false"),
    "aws_rds_cluster": ("deletion_protection", "false"),
    "aws_lb": ("enable_deletion_protection", "false"),
    "aws_alb": ("enable_deletion_protection", "false"),
    "aws_dynamodb_table": ("deletion_protection_enabled", "false"),
    "aws_instance": ("disable_api_termination", "false"),
    "aws_s3_bucket": ("force_destroy", "true"),
    "aws_ecr_repository": ("force_delete", "true"),
}

GAPS_FILE = "zz_infragen_emulator_gaps_override.tf"
# Resource type -> an argument whose API moto does not implement, its "off" value, and why.
GAPS = {
    "aws_instance": (
        "monitoring",
        "false",
        "moto lacks MonitorInstances, which detailed monitoring calls",
    ),
}


def _documents(project: Path) -> list[dict[str, Any]]:
    return [
        parse_text(p.read_text(encoding="utf-8"), p.name)
        for p in sorted(project.glob("*.tf"))
        if not p.name.endswith("override.tf")
    ]


def _type_of(body: dict[str, Any]) -> str:
    raw = body.get("type", [""])
    text = str(raw[0] if isinstance(raw, list) and raw else raw)
    return text.removeprefix("${").removesuffix("}").replace(" ", "")


def placeholder(name: str, type_expr: str) -> Any:
    """A value of the variable's type that its usual validation rules accept."""
    lowered = name.lower()
    if type_expr.startswith(("list(", "set(", "tuple(")):
        inner = type_expr[type_expr.index("(") + 1 : -1]
        return [placeholder(name.removesuffix("s"), inner)] if "cidr" in lowered else []
    if type_expr.startswith(("map(", "object(")):
        return {}
    if type_expr == "number":
        return 1
    if type_expr == "bool":
        return False
    if "cidr" in lowered:
        return "203.0.113.0/24"  # TEST-NET-3: a documentation range, never anyone's network
    if "email" in lowered:
        return "ops@example.com"
    if "certificate" in lowered:
        return CERTIFICATE  # replaced by a certificate issued on the emulator
    if re.search(r"(^|_)(arn)($|_)", lowered):
        return "arn:aws:iam::123456789012:role/infragen-emulator"
    return f"infragen-emulator-{lowered.replace('_', '-')}"[:60]


def provider_region(project: Path, fallback: str) -> str:
    """The default aws provider's region: a literal, or a variable's default, else `fallback`."""
    documents = _documents(project)
    defaults = {
        name: body.get("default", [None])[0]
        for d in documents
        for group in d.get("variable", [])
        for name, body in group.items()
        if isinstance(body, dict)
    }
    for document in documents:
        for group in document.get("provider", []):
            body = group.get("aws")
            body = body[0] if isinstance(body, list) and body else body
            if not isinstance(body, dict) or body.get("alias"):
                continue
            region = str(
                (body.get("region") or [""])[0]
                if isinstance(body.get("region"), list)
                else body.get("region") or ""
            )
            match = re.fullmatch(r"\$\{var\.(\w+)\}", region)
            value = defaults.get(match.group(1)) if match else region
            if isinstance(value, str) and re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", value):
                return value
    return fallback


def write_placeholder_inputs(project: Path, certificate_arn: Callable[[], str]) -> dict[str, Any]:
    """Values for the root variables that have no default; returns what was written.

    `certificate_arn` issues a certificate on the emulator for a variable that names one (a
    listener refuses a certificate that does not exist)."""
    values: dict[str, Any] = {}
    for document in _documents(project):
        for group in document.get("variable", []):
            for name, body in group.items():
                if isinstance(body, dict) and "default" not in body:
                    values[name] = placeholder(name, _type_of(body))
    values = {k: certificate_arn() if v == CERTIFICATE else v for k, v in values.items()}
    if values:
        (project / INPUTS_FILE).write_text(json.dumps(values, indent=2), encoding="utf-8")
    return values


def _root_resources(project: Path, types: Any) -> list[tuple[str, str, Any]]:
    """(type, name, body) of the root module's resources of the given types."""
    return [
        (rtype, name, body)
        for document in _documents(project)
        for group in document.get("resource", [])
        for rtype, named in group.items()
        if rtype in types
        for name, body in named.items()
    ]


def _write_override(path: Path, settings: list[tuple[str, str, str, str]]) -> None:
    """An override file setting one argument per resource: (type, name, argument, value)."""
    if settings:
        blocks = [f'resource "{t}" "{n}" {{\n  {a} = {v}\n}}\n' for t, n, a, v in settings]
        path.write_text("\n".join(blocks), encoding="utf-8")


def write_teardown_override(project: Path) -> list[str]:
    """Switch deletion protection off on the root module's protected resources; their addresses."""
    settings = [(t, n, *PROTECTION[t]) for t, n, _ in _root_resources(project, PROTECTION)]
    _write_override(project / TEARDOWN_FILE, settings)
    return [f"{t}.{n}" for t, n, _, _ in settings]


def _is_true(value: Any) -> bool:
    value = value[0] if isinstance(value, list) and value else value
    return value is True or str(value).lower() == "true"


def write_gap_override(project: Path) -> list[str]:
    """Switch off, in the copy, the arguments whose API moto lacks; one line per change."""
    settings, changes = [], []
    for rtype, name, body in _root_resources(project, GAPS):
        argument, value, why = GAPS[rtype]
        if isinstance(body, dict) and _is_true(body.get(argument)):
            settings.append((rtype, name, argument, value))
            changes.append(f"{rtype}.{name}: {argument} = {value} ({why})")
    _write_override(project / GAPS_FILE, settings)
    return changes

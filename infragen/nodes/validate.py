"""Validator (no model): HCL parse, zero-token schema repairs, offline schema, terraform fmt/validate.

Terraform's own `validate` needs the AWS provider plugin, which cannot be downloaded offline; the
offline schema stands in for it and the gate's engine says which checks really ran.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext, context_of
from infragen.domain import Finding, GateResult
from infragen.safety import find_secrets
from infragen.state import State
from infragen.tools.hcl import HclParseError, Inventory, inventory_from_texts
from infragen.workspace import subset, sync_scratch


def parse_findings(files: dict[str, str]) -> tuple[Inventory | None, list[Finding]]:
    try:
        return inventory_from_texts(files), []
    except HclParseError as exc:
        return None, [
            Finding(
                gate="validate",
                rule_id="hcl-parse",
                message=exc.message,
                file=exc.file,
                line=exc.line,
            )
        ]


def duplicate_findings(inventory: Inventory) -> list[Finding]:
    """Terraform rejects two resources with one address; models produce them when they append."""
    counts = Counter(r.address for r in inventory.resources)
    return [
        Finding(
            gate="validate",
            rule_id="duplicate-resource",
            message=f"{address} is declared {n} times; revise the existing block instead",
            resource=address,
        )
        for address, n in counts.items()
        if n > 1
    ]


def pinned_major(inventory: Inventory) -> int:
    """The AWS provider major the configuration pins, which picks the schema to check against."""
    from infragen.schema.version import major_from_constraint

    aws = inventory.required_providers.get("aws", {})
    return major_from_constraint(aws.get("version", "") if isinstance(aws, dict) else "")


def schema_module():
    try:
        from infragen import schema
    except ImportError:
        return None
    return schema


def validate_files(
    files: dict[str, str], ctx: RunContext
) -> tuple[GateResult, dict[str, str], list[str]]:
    """Run every validation engine; returns the gate, the (possibly repaired) files and the repairs."""
    started = time.perf_counter()
    tf = subset(files, "terraform/")
    engines, notes, repairs = ["hcl2"], [], []
    inventory, findings = parse_findings(tf)
    schema = schema_module()
    if inventory is not None and schema is not None:
        tf, repairs = schema.repair_texts(tf)
        files = {**files, **tf}
        findings += schema.validate_texts(tf)
        engines.append(f"offline-schema (aws {schema.provider_version(pinned_major(inventory))})")
    elif schema is None:
        notes.append("offline schema not installed")
    if inventory is not None:
        findings += duplicate_findings(inventory)
    findings += find_secrets(tf)

    from infragen.tools import terraform

    scratch = sync_scratch(ctx.workspace / "validate", tf) / "terraform"
    fmt = terraform.fmt_check(scratch)
    tfv = terraform.validate(scratch)
    for result in (fmt, tfv):
        if result.status == "skipped":
            notes.append(f"{result.engine or 'terraform'}: {result.reason}")
        else:
            engines.append(result.engine)
        findings += [f.model_copy(update={"gate": "validate"}) for f in result.findings]
    errors = [f for f in findings if f.severity == "error"]
    gate = GateResult(
        name="validate",
        status="failed" if errors else "passed",
        engine=" + ".join(engines),
        findings=findings,
        reason="; ".join(notes),
        duration_s=round(time.perf_counter() - started, 3),
    )
    return gate, files, repairs


def validate(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    gate, files, repairs = validate_files(state["files"], context_of(runtime))
    return {
        "files": files,
        "repairs": repairs,
        "gates": {"validate": {**gate.model_dump(), "attempt": state["attempt"]}},
    }

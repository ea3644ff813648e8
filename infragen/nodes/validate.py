"""Validator (no model): HCL parse, zero-token schema repairs, offline schema, terraform fmt/validate.

Terraform's own `validate` runs with the real AWS provider whenever one resolves (a local mirror or
plugin cache, or the registry when downloads are allowed); its schema then supersedes the shipped
offline copy. Where no provider resolves, the offline schema stands in for it. The gate's engine
says which checks really ran, and with which provider version.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from langgraph.runtime import Runtime

from infragen.context import RunContext, context_of
from infragen.domain import Finding, GateResult
from infragen.settings import RunSettings
from infragen.state import State
from infragen.tools.hcl import HclParseError, Inventory, inventory_from_texts
from infragen.workspace import subset, sync_scratch

if TYPE_CHECKING:
    from infragen.tools.terraform_providers import ProviderResolution


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


def pinned_major(inventory: Inventory, resolved: int | None = None) -> int:
    """The AWS provider major the configuration pins, which picks the schema to check against.

    An unpinned configuration gets what `terraform init` would install: the newest major a
    local mirror holds (`resolved`), else the newest shipped schema.
    """
    from infragen.schema.version import major_from_constraint

    aws = inventory.required_providers.get("aws", {})
    constraint = (
        aws.get("version", "") if isinstance(aws, dict) else aws if isinstance(aws, str) else ""
    )
    if not constraint and resolved is not None:
        return resolved
    return major_from_constraint(constraint)


def providers_for(settings: RunSettings) -> ProviderResolution:
    """Where this run's Terraform installs providers from: `--provider-mirror`, then the usual
    local mirrors and caches, then the registry if downloads are allowed."""
    from infragen.tools.terraform_providers import resolve_providers

    return resolve_providers(
        mirrors=[settings.provider_mirror] if settings.provider_mirror else [],
        download=settings.download_providers,
    )


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
    from infragen.tools import terraform

    started = time.perf_counter()
    providers = providers_for(ctx.settings)
    tf = subset(files, "terraform/")
    engines, notes, repairs = ["hcl2"], [], []
    inventory, findings = parse_findings(tf)
    schema_findings: list[Finding] = []
    offline_engine = ""
    schema = schema_module()
    if inventory is not None and schema is not None:
        major = pinned_major(inventory, providers.newest_major())
        tf, repairs = schema.repair_texts(tf, major)
        files = {**files, **tf}
        schema_findings = schema.validate_texts(tf, major)
        offline_engine = f"offline-schema (aws {schema.provider_version(major)})"
    elif schema is None:
        notes.append("offline schema not installed")
    if inventory is not None:
        findings += duplicate_findings(inventory)

    scratch = sync_scratch(ctx.workspace / "validate", tf) / "terraform"
    fmt = terraform.fmt_check(scratch)
    tfv = terraform.validate(scratch, providers=providers)
    if offline_engine:
        if terraform.provider_checked(tfv):
            # The real provider's schema is the one the offline copy approximates: it decides.
            notes.append("offline schema superseded by the real provider")
        else:
            findings += schema_findings
            engines.append(offline_engine)
    for result in (fmt, tfv):
        if result.status == "skipped":
            engine = result.engine or "terraform"
            # a reason that already names its engine is not prefixed again ("terraform: terraform:")
            notes.append(
                result.reason if result.reason.startswith(engine) else f"{engine}: {result.reason}"
            )
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


def answer_findings(state: State) -> list[Finding]:
    """What the architect's last answer lacked (cut, empty, no code: errors) and what was done
    to it (unsafe blocks removed, vetted files kept: warnings), as findings the model hears."""
    answer = state.get("answer") or {}
    if answer.get("attempt") != state.get("attempt"):
        return []
    return [
        Finding(gate="validate", rule_id=p["rule_id"], message=p["message"])
        for p in answer.get("problems", [])
    ] + [
        Finding(gate="validate", rule_id="answer-note", severity="warning", message=note)
        for note in answer.get("notes", [])
    ]


def validate(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    from_answer = answer_findings(state)
    if not subset(state["files"], "terraform/"):  # nothing to run Terraform on
        gate = GateResult(
            name="validate",
            status="failed",
            engine="answer",
            findings=from_answer
            or [Finding(gate="validate", rule_id="answer-no-code", message="no Terraform files")],
            reason="the architect's answer held no usable Terraform",
        )
        return {"gates": {"validate": {**gate.model_dump(), "attempt": state["attempt"]}}}
    gate, files, repairs = validate_files(state["files"], context_of(runtime))
    if from_answer:
        failed = gate.status == "failed" or any(f.severity == "error" for f in from_answer)
        gate = gate.model_copy(
            update={
                "findings": [*from_answer, *gate.findings],
                "status": "failed" if failed else gate.status,
            }
        )
    return {
        "files": files,
        "repairs": repairs,
        "gates": {"validate": {**gate.model_dump(), "attempt": state["attempt"]}},
    }

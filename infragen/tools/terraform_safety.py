"""Constructs that make `terraform plan` run code or reach places on the machine that plans.

`plan` is read-only towards the cloud but not towards the planner: `external` data sources run
programs, `http`/`local` data sources fetch URLs and read files, provisioners run during apply
(and mark a config as one that executes commands), and a provider outside the allow-list is an
arbitrary binary. infragen refuses to plan such a configuration unless the user passes
`--allow-exec`.
"""

from __future__ import annotations

import os
from pathlib import Path

from infragen.domain import Finding
from infragen.tools.hcl import Inventory, inventory_from_dir

GATE = "terraform-plan"
# Providers whose plan touches only their API or nothing at all. `terraform` is the built-in one
# behind `terraform_data` and `terraform_remote_state`.
ALLOWED_PROVIDERS = frozenset({"aws", "random", "tls", "null", "time", "terraform"})
EXEC_PROVISIONERS = frozenset({"local-exec", "remote-exec"})
HINT = "review it, then rerun with --allow-exec to plan anyway"


def provider_of(resource_type: str) -> str:
    """`aws_instance` -> `aws`, `terraform_data` -> `terraform`: Terraform's own implied mapping."""
    return resource_type.split("_", 1)[0]


def _finding(rule: str, message: str, file: str | None, line: int | None, resource: str | None):
    return Finding(
        gate=GATE,
        rule_id=rule,
        severity="error",
        message=f"{message}; {HINT}",
        file=file,
        line=line,
        resource=resource,
    )


def _provider_findings(inventory: Inventory) -> list[Finding]:
    findings = []
    for name, spec in sorted(inventory.required_providers.items()):
        source = spec.get("source", f"hashicorp/{name}") if isinstance(spec, dict) else ""
        local = source.rsplit("/", 1)[-1]
        namespace = source.split("/")[-2] if source.count("/") >= 1 else "hashicorp"
        if local not in ALLOWED_PROVIDERS or namespace != "hashicorp":
            findings.append(
                _finding(
                    "provider-not-allowed",
                    f"provider {name} ({source}) is not allow-listed",
                    None,
                    None,
                    name,
                )
            )
    for name in sorted(inventory.providers):
        if name not in ALLOWED_PROVIDERS:
            body = inventory.providers[name]
            line = body.get("__start_line__") if isinstance(body, dict) else None
            findings.append(
                _finding(
                    "provider-not-allowed",
                    f"provider block {name} is not allow-listed",
                    None,
                    line,
                    name,
                )
            )
    return findings


def unsafe_constructs(inventory: Inventory) -> list[Finding]:
    """Every construct that would let plan/apply execute code or read the planner's machine."""
    findings = _provider_findings(inventory)
    seen_providers = {f.resource for f in findings}
    for r in inventory.resources:
        blocks = r.body.get("provisioner") or []
        # one provisioner unwraps to a dict, several stay a list of dicts
        for block in [blocks] if isinstance(blocks, dict) else blocks:
            for kind in block if isinstance(block, dict) else []:
                if kind in EXEC_PROVISIONERS:
                    findings.append(
                        _finding(
                            "exec-provisioner",
                            f"{r.address} has a {kind} provisioner",
                            r.file,
                            r.line,
                            r.address,
                        )
                    )
        provider = provider_of(r.type)
        if r.mode == "data" and r.type == "external":
            findings.append(
                _finding(
                    "external-data",
                    f"{r.address} runs a program during plan",
                    r.file,
                    r.line,
                    r.address,
                )
            )
        elif provider not in ALLOWED_PROVIDERS and provider not in seen_providers:
            findings.append(
                _finding(
                    "provider-not-allowed",
                    f"{r.address} uses provider {provider}, outside the allow-list {sorted(ALLOWED_PROVIDERS)}",
                    r.file,
                    r.line,
                    r.address,
                )
            )
    for name, module in sorted(inventory.modules.items()):
        source = str(module.get("source", ""))
        if not source.startswith(("./", "../")):
            findings.append(
                _finding(
                    "remote-module",
                    f"module.{name} comes from {source!r}, which cannot be inspected before plan",
                    None,
                    module.get("__start_line__"),
                    f"module.{name}",
                )
            )
    return findings


def unsafe_constructs_in_dir(directory: Path) -> list[Finding]:
    """`unsafe_constructs` for a root module and every local module it calls, recursively."""
    findings: list[Finding] = []
    pending, visited = [directory.resolve()], set()
    while pending:
        current = pending.pop()
        if current in visited or not current.is_dir():
            continue
        visited.add(current)
        inventory = inventory_from_dir(current)
        relative = os.path.relpath(current, directory.resolve())
        prefix = "" if relative == "." else f"{relative}/"
        for f in unsafe_constructs(inventory):
            findings.append(f.model_copy(update={"file": f"{prefix}{f.file}" if f.file else None}))
        for module in inventory.modules.values():
            source = str(module.get("source", ""))
            if source.startswith(("./", "../")):
                pending.append((current / source).resolve())
    return findings

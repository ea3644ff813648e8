"""Ansible writer (standard tier): playbook + inventory, checked by ansible-playbook and Checkov."""

from __future__ import annotations

import time
from typing import Any

from langgraph.runtime import Runtime

from infragen.context import RunContext, context_of
from infragen.domain import Finding, GateResult
from infragen.files import extract_files
from infragen.prompting import ask, call_record, compact_json
from infragen.state import State
from infragen.workspace import sync_scratch

# What the Ansible writer must return (its prompt asks for both).
GENERATED_FILES = ("ansible/playbook.yml", "ansible/inventory.yml")


def check_ansible(
    files: dict[str, str], ctx: RunContext, required: tuple[str, ...] = ()
) -> GateResult:
    from infragen.tools import ansible, checkov

    started = time.perf_counter()
    missing = [name for name in required if name not in files]
    if missing:  # e.g. an answer cut off at max_tokens: syntax-check alone would only warn
        return GateResult(
            name="ansible",
            status="failed",
            engine="ansible files",
            findings=[
                Finding(
                    gate="ansible", rule_id="missing-file", message=f"{name} is missing", file=name
                )
                for name in missing
            ],
        )
    root = sync_scratch(ctx.workspace / "ansible", files) / "ansible"
    syntax = ansible.syntax_check(root / "playbook.yml", root / "inventory.yml")
    scan = checkov.scan(
        root,
        frameworks=["ansible"],
        skip_checks=ctx.settings.skip_checks,
        fail_on=ctx.settings.fail_on,
    )
    parts = [syntax, scan]
    failed = [p for p in parts if p.status == "failed"]
    return GateResult(
        name="ansible",
        status="failed" if failed else "passed",
        engine=" + ".join(p.engine for p in parts if p.status != "skipped"),
        findings=[f.model_copy(update={"gate": "ansible"}) for p in parts for f in p.findings],
        reason="; ".join(p.reason for p in parts if p.reason),
        duration_s=round(time.perf_counter() - started, 3),
    )


def write_ansible(state: State, runtime: Runtime[RunContext]) -> dict[str, Any]:
    ctx = context_of(runtime)
    outputs = state.get("inventory", {}).get("outputs", [])
    response = ask(
        ctx.model_router(),
        "ansible",
        "ansible",
        max_tokens=ctx.settings.max_tokens_for("ansible"),
        payload={"plan": state["plan"], "outputs": outputs},
        plan=compact_json(state["plan"]["components"]),
        outputs=outputs,
    )
    # a refused or cut file is simply missing: the gate below says which
    extraction = extract_files(
        response.content, default_dir="ansible", truncated=response.finish_reason == "length"
    )
    files = {f.path: f.content for f in extraction.files if f.path.startswith("ansible/")}
    gate = check_ansible(files, ctx, required=GENERATED_FILES)
    return {
        "files": {**state["files"], **files},
        "gates": {"ansible": gate.model_dump()},
        "calls": [call_record("ansible", response)],
    }

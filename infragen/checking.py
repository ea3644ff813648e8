"""`infragen check`: the pipeline's gates on an existing project, with no model at all."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from infragen.api import GenerationResult
from infragen.context import RunContext
from infragen.errors import InfragenError
from infragen.nodes.finops import budget_gate
from infragen.nodes.validate import validate_files
from infragen.report import build_report
from infragen.settings import RunSettings
from infragen.tools.hcl import HclParseError, inventory_from_texts

GATES = ("validate", "security", "cost", "ansible")


def read_project(path: Path) -> dict[str, str]:
    """{"terraform/x.tf": text, "ansible/y.yml": text}: a directory of .tf files counts as terraform/."""
    root = path / "terraform" if (path / "terraform").is_dir() else path
    files = {f"terraform/{p.name}": p.read_text(encoding="utf-8") for p in sorted(root.glob("*.tf"))}
    ansible = path / "ansible"
    if ansible.is_dir():
        for p in sorted(ansible.rglob("*")):
            if p.is_file() and p.suffix in (".yml", ".yaml"):
                files[f"ansible/{p.relative_to(ansible).as_posix()}"] = p.read_text(encoding="utf-8")
    if not any(k.startswith("terraform/") for k in files):
        raise InfragenError(f"{path} has no .tf files", "point at a Terraform project directory")
    return files


def check_project(path: Path, *, settings: RunSettings, only: str | None = None) -> GenerationResult:
    if only is not None and only not in GATES:
        raise InfragenError(f"--only {only!r} is not one of schema, {', '.join(GATES)}", "pick one of them")
    files = read_project(path)
    ctx = RunContext(settings=settings)
    gates: dict[str, dict[str, Any]] = {}
    state: dict[str, Any] = {"request": f"check {path}", "files": files}
    wanted = (only,) if only else GATES
    try:
        if "validate" in wanted:
            gate, _, state["repairs"] = validate_files(files, ctx)
            gates["validate"] = gate.model_dump()
        if "security" in wanted:
            from infragen.tools import checkov

            gates["security"] = checkov.scan(ctx_dir(ctx, files, "terraform"), frameworks=["terraform"],
                                             skip_checks=settings.skip_checks,
                                             fail_on=settings.fail_on).model_copy(
                update={"name": "security"}).model_dump()
        if "cost" in wanted:
            from infragen.tools import cost

            try:
                inventory = inventory_from_texts({k: v for k, v in files.items() if k.startswith("terraform/")})
            except HclParseError as exc:
                raise InfragenError(f"cannot price {path}: {exc}", "fix the HCL first") from exc
            estimate = cost.estimate(inventory, directory=ctx_dir(ctx, files, "terraform"))
            state["cost"] = estimate.model_dump()
            gates["cost"] = budget_gate(estimate.monthly_usd, settings.max_monthly_cost).model_dump()
        if "ansible" in wanted and any(k.startswith("ansible/") for k in files):
            from infragen.nodes.ansible import check_ansible

            gates["ansible"] = check_ansible({k: v for k, v in files.items() if k.startswith("ansible/")},
                                             ctx).model_dump()
    finally:
        shutil.rmtree(ctx.workspace, ignore_errors=True)
    state["gates"] = gates
    report = build_report(state, output_dir=str(path), run_id=uuid.uuid4().hex[:12])
    return GenerationResult(report=report, files=files)


def ctx_dir(ctx: RunContext, files: dict[str, str], prefix: str) -> Path:
    from infragen.workspace import subset, sync_scratch

    return sync_scratch(ctx.workspace / f"check-{prefix}", subset(files, f"{prefix}/")) / prefix


def check_paths_schema(paths: list[Path]) -> Iterator[dict[str, Any]]:
    """One `{"path", "findings"}` record per path, all in one process (bulk use in CI)."""
    from infragen import schema

    for path, findings in schema.validate_paths(paths).items():
        yield {"path": str(path), "findings": [f.model_dump() for f in findings]}

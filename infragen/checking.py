"""`infragen check`: the pipeline's gates on an existing project, with no model at all."""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from infragen.api import GenerationResult
from infragen.context import RunContext
from infragen.domain import Finding, GateResult
from infragen.errors import InfragenError
from infragen.intent.policies import Policy, load_policies, policy_findings
from infragen.nodes.finops import budget_gate
from infragen.nodes.validate import validate_files
from infragen.report import build_report
from infragen.settings import RunSettings
from infragen.tools.hcl import HclParseError, inventory_from_texts
from infragen.workspace import subset

GATES = ("validate", "security", "cost", "ansible", "policy")


def terraform_root(path: Path) -> Path:
    """A project's Terraform: its terraform/ directory, or the directory itself."""
    return path / "terraform" if (path / "terraform").is_dir() else path


def read_project(path: Path) -> dict[str, str]:
    """{"terraform/x.tf": text, "ansible/y.yml": text}: a directory of .tf files counts as terraform/."""
    root = terraform_root(path)
    files = {
        f"terraform/{p.name}": p.read_text(encoding="utf-8") for p in sorted(root.glob("*.tf"))
    }
    ansible = path / "ansible"
    if ansible.is_dir():
        for p in sorted(ansible.rglob("*")):
            if p.is_file() and p.suffix in (".yml", ".yaml"):
                files[f"ansible/{p.relative_to(ansible).as_posix()}"] = p.read_text(
                    encoding="utf-8"
                )
    if not any(k.startswith("terraform/") for k in files):
        raise InfragenError(f"{path} has no .tf files", "point at a Terraform project directory")
    return files


def check_project(
    path: Path, *, settings: RunSettings, only: str | None = None
) -> GenerationResult:
    if only is not None and only not in GATES:
        raise InfragenError(
            f"--only {only!r} is not one of schema, {', '.join(GATES)}", "pick one of them"
        )
    policies = load_policies(settings.policies)
    files = read_project(path)
    ctx = RunContext(settings=settings)
    gates: dict[str, dict[str, Any]] = {}
    state: dict[str, Any] = {"request": f"check {path}", "files": files}
    if only == "policy" and not policies:
        raise InfragenError("--only policy needs at least one --policy FILE.rego", "add --policy")
    wanted = (only,) if only else GATES
    try:
        if "validate" in wanted:
            gate, _, state["repairs"] = validate_files(files, ctx)
            gates["validate"] = gate.model_dump()
        if "security" in wanted:
            from infragen.tools import checkov

            gates["security"] = (
                checkov.scan(
                    ctx_dir(ctx, files, "terraform"),
                    frameworks=["terraform"],
                    skip_checks=settings.skip_checks,
                    fail_on=settings.fail_on,
                )
                .model_copy(update={"name": "security"})
                .model_dump()
            )
        if "cost" in wanted:
            from infragen.tools import cost

            try:
                inventory = inventory_from_texts(subset(files, "terraform/"))
            except HclParseError as exc:  # the validate gate reports the parse error itself
                gates["cost"] = GateResult(
                    name="cost",
                    status="skipped",
                    engine="price table",
                    reason=f"skipped: the HCL does not parse ({exc}); fix it to get an estimate",
                ).model_dump()
            else:
                estimate = cost.estimate(inventory, directory=ctx_dir(ctx, files, "terraform"))
                state["cost"] = estimate.model_dump()
                gates["cost"] = budget_gate(
                    estimate.monthly_usd, settings.max_monthly_cost
                ).model_dump()
        if "ansible" in wanted and any(k.startswith("ansible/") for k in files):
            from infragen.nodes.ansible import check_ansible

            gates["ansible"] = check_ansible(subset(files, "ansible/"), ctx).model_dump()
        if policies and only in (None, "policy"):
            gates["policy"] = policy_gate(policies, files).model_dump()
    finally:
        shutil.rmtree(ctx.workspace, ignore_errors=True)
    state["gates"] = gates
    report = build_report(state, output_dir=str(path), run_id=uuid.uuid4().hex[:12])
    report["written"] = False  # `check` reads the project, it writes nothing
    report["roots"] = {"terraform": str(terraform_root(path)), "ansible": str(path / "ansible")}
    return GenerationResult(report=report, files=files)


def policy_gate(policies: list[Policy], files: dict[str, str]) -> GateResult:
    """Every `--policy` on the offline plan document of the project's Terraform."""
    from infragen.intent.plan_document import build_plan_document

    started = time.perf_counter()
    tf = subset(files, "terraform/")
    try:
        plan_doc = build_plan_document(tf)
    except HclParseError as exc:
        return GateResult(
            name="policy",
            status="failed",
            engine="regorus",
            findings=[Finding(gate="policy", message=str(exc))],
        )
    findings = policy_findings(policies, plan_doc, gate="policy")
    return GateResult(
        name="policy",
        status="failed" if findings else "passed",
        engine=f"regorus, {len(policies)} policies on the offline plan document",
        findings=findings,
        duration_s=round(time.perf_counter() - started, 3),
    )


def ctx_dir(ctx: RunContext, files: dict[str, str], prefix: str) -> Path:
    from infragen.workspace import sync_scratch

    return sync_scratch(ctx.workspace / f"check-{prefix}", subset(files, f"{prefix}/")) / prefix


def check_paths_schema(paths: list[Path]) -> Iterator[dict[str, Any]]:
    """One `{"path", "findings"}` record per path, all in one process (bulk use in CI)."""
    from infragen import schema

    for path, findings in schema.validate_paths(paths).items():
        yield {"path": str(path), "findings": [f.model_dump() for f in findings]}

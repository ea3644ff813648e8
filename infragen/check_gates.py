"""The gates as `infragen check` runs them on code in place (the pipeline runs the same tools on
its in-memory files): findings name files relative to the root they were found in."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from infragen import gates as gate_ids
from infragen.domain import Finding, GateResult
from infragen.errors import InfragenError
from infragen.module_calls import installed_modules, other_roots_below, remote_calls, stage
from infragen.settings import RunSettings


def _status(findings: list[Finding]) -> str:
    return "failed" if any(f.severity == "error" for f in findings) else "passed"


def _schema_findings(texts: dict[str, str]) -> tuple[list[Finding], str, list[str]]:
    """Parse, offline-schema and duplicate findings, the engine name and notes."""
    from infragen import schema
    from infragen.nodes.validate import duplicate_findings, parse_findings, pinned_major

    inventory, findings = parse_findings(texts)
    if inventory is None:
        return findings, "hcl2", []
    findings = schema.validate_texts(texts) + duplicate_findings(inventory)
    version = schema.provider_version(pinned_major(inventory))
    notes = []
    gap = [f for f in findings if "may be newer than the schema" in f.message]
    if gap:
        notes.append(
            f"the configuration needs a newer hashicorp/aws than the offline schema ({version}): "
            f"{len(gap)} unknown name(s) reported as warnings"
        )
    return findings, f"hcl2 + offline schema (hashicorp/aws {version})", notes


def schema_gate(texts: dict[str, str]) -> GateResult:
    """`--only schema`: the offline provider schema alone, in milliseconds."""
    started = time.perf_counter()
    findings, engine, notes = _schema_findings(texts)
    return GateResult(
        name=gate_ids.VALIDATE,
        status=_status(findings),
        engine=engine,
        findings=findings,
        reason="; ".join(notes),
        duration_s=round(time.perf_counter() - started, 3),
    )


def _unavailable_modules(directory: Path) -> list[str]:
    installed = installed_modules(directory)
    return [f"{c.name} ({c.source})" for c in remote_calls(directory) if c.name not in installed]


def validate_gate(tf_dir: Path, texts: dict[str, str], settings: RunSettings) -> GateResult:
    """HCL + offline schema, `terraform fmt`, and `terraform validate` on the root staged with its
    local modules; a real `validate` (providers installed) has the last word over the schema."""
    from infragen.checking import scratch_dir
    from infragen.nodes.validate import providers_for
    from infragen.tools import terraform
    from infragen.workspace import sync_scratch

    started = time.perf_counter()
    schema_findings, schema_engine, notes = _schema_findings(texts)
    unparsable = any(f.rule_id == "hcl-parse" for f in schema_findings)
    tfv = GateResult(name="terraform-validate", status="skipped", reason="the HCL does not parse")
    fmt = tfv.model_copy(update={"name": "terraform-fmt"})
    with scratch_dir() as tmp:
        try:
            fmt = terraform.fmt_check(sync_scratch(Path(tmp) / "fmt", texts))
            if not unparsable:
                tree = stage(tf_dir, Path(tmp) / "tree")
                tfv = terraform.validate(tree, providers=providers_for(settings), copy=False)
        except InfragenError as error:  # no Terraform engine at all: the schema stands alone
            tfv = tfv.model_copy(update={"reason": error.one_line()})
    findings = [f.model_copy(update={"gate": gate_ids.VALIDATE}) for f in fmt.findings]
    engines = []
    missing = _unavailable_modules(tf_dir) if tfv.status == "skipped" else []
    if tfv.status == "skipped":
        engines.append(schema_engine)
        findings = schema_findings + findings
        if missing:
            notes.append(
                f"terraform validate skipped: module(s) unavailable offline, not checked: "
                f"{', '.join(missing)}"
            )
        elif tfv.reason:
            reason = tfv.reason.removeprefix(f"{tfv.engine}: ") if tfv.engine else tfv.reason
            notes.append(f"terraform validate skipped: {reason}")
    else:
        engines.append(f"terraform validate ({tfv.engine})")
        findings = [f for f in schema_findings if f.rule_id == "hcl-parse"] + findings
        notes.append(
            "terraform validate ran with the providers installed; it replaces the offline schema"
        )
    findings += [f.model_copy(update={"gate": gate_ids.VALIDATE}) for f in tfv.findings]
    if fmt.status != "skipped":
        engines.append(f"terraform fmt ({fmt.engine})")
    return GateResult(
        name=gate_ids.VALIDATE,
        status=_status(findings),
        engine=" + ".join(engines),
        findings=findings,
        reason="; ".join(notes),
        duration_s=round(time.perf_counter() - started, 3),
    )


def security_gate(
    tf_dir: Path, texts: dict[str, str], settings: RunSettings, options: Any
) -> GateResult:
    """Checkov on the original directory (its module handling scans what the modules create),
    plus hard-coded secret literals."""
    from infragen.tools import checkov

    skips = [s for s in options.skip if s.upper().startswith("CKV")]
    gate = checkov.scan(
        tf_dir,
        frameworks=["terraform"],
        skip_checks=[*settings.skip_checks, *skips],
        fail_on=checkov.parse_fail_on(settings.fail_on),
        verbose=options.verbose,
        exclude=other_roots_below(tf_dir),
    )
    secrets = secret_findings(texts)
    findings = gate.findings + secrets
    return gate.model_copy(
        update={
            "name": gate_ids.SECURITY,
            "findings": findings,
            "status": "skipped" if gate.status == "skipped" and not secrets else _status(findings),
        }
    )


# Write-only arguments (Terraform 1.11+) hold secrets too: `password_wo`, `secret_string_wo`.
_WRITE_ONLY = re.compile(
    r'^[ \t]*(\w*(?:password|secret|token)\w*_wo)\s*=\s*"(?![$"])[^"]{4,}"', re.M
)
_ASSIGNED = re.compile(r"^\s*(\w+)\s*=")
_DATABASE_PASSWORDS = {"password", "master_password", "master_user_password"}


def secret_findings(texts: dict[str, str]) -> list[Finding]:
    """Hard-coded secret literals as security findings, each message fitting its attribute."""
    from infragen.safety import find_secrets

    found = find_secrets(texts)
    for name, text in texts.items():
        for m in _WRITE_ONLY.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            found.append(
                Finding(
                    gate="validate", rule_id="plaintext-password", message="", file=name, line=line
                )
            )
    out = []
    for f in found:
        lines = texts.get(f.file or "", "").splitlines()
        index = (f.line or 1) - 1
        while index < len(lines) - 1 and not lines[index].strip():
            index += 1  # the pattern may start on the blank line before the attribute
        assigned = _ASSIGNED.match(lines[index]) if index < len(lines) else None
        attribute = assigned.group(1) if assigned else None
        if f.rule_id != "plaintext-password" or attribute is None:
            message = f.message.replace(" in generated code", "")
        elif attribute.removesuffix("_wo") in _DATABASE_PASSWORDS:
            message = (
                f'hard-coded database password in "{attribute}": use manage_master_user_password, '
                "random_password or a secrets manager reference"
            )
        else:
            message = (
                f'hard-coded secret in "{attribute}": read it from a sensitive variable or a '
                "secrets manager reference instead"
            )
        out.append(
            f.model_copy(update={"gate": gate_ids.SECURITY, "message": message, "line": index + 1})
        )
    return out


def cost_gate(
    tf_dir: Path, texts: dict[str, str], settings: RunSettings
) -> tuple[GateResult, dict]:
    from infragen.nodes.finops import budget_gate
    from infragen.tools import cost
    from infragen.tools.hcl import HclParseError, inventory_from_texts

    try:
        inventory = inventory_from_texts(texts)
    except HclParseError as exc:  # the validate gate reports the parse error itself
        gate = GateResult(
            name=gate_ids.COST,
            status="skipped",
            engine="price table",
            reason=f"skipped: the HCL does not parse ({exc}); fix it to get an estimate",
        )
        return gate, {}
    estimate = cost.estimate(inventory, directory=tf_dir)
    gate = budget_gate(estimate.monthly_usd, settings.max_monthly_cost, estimate.unpriced)
    return gate, estimate.model_dump()


def policy_gate(policy_paths: list[Path], texts: dict[str, str]) -> GateResult:
    """Every `--policy` on the offline plan document of the root's Terraform."""
    from infragen.intent.plan_document import build_plan_document
    from infragen.intent.policies import load_policies, policy_findings
    from infragen.tools.hcl import HclParseError

    started = time.perf_counter()
    policies = load_policies(policy_paths)
    try:
        plan_doc = build_plan_document({f"terraform/{n}": t for n, t in texts.items()})
    except HclParseError as exc:
        finding = Finding(gate=gate_ids.POLICY, message=str(exc), file=exc.file, line=exc.line)
        return GateResult(
            name=gate_ids.POLICY, status="failed", engine="regorus", findings=[finding]
        )
    findings = policy_findings(policies, plan_doc, gate=gate_ids.POLICY)
    return GateResult(
        name=gate_ids.POLICY,
        status="failed" if findings else "passed",
        engine=f"regorus, {len(policies)} policies on the offline plan document",
        findings=findings,
        duration_s=round(time.perf_counter() - started, 3),
    )


def emulator_gate(tf_dir: Path, settings: RunSettings) -> GateResult:
    """`--emulator`: plan, apply and destroy the root (staged with its local modules) on moto."""
    from infragen.checking import scratch_dir
    from infragen.nodes.validate import providers_for
    from infragen.tools.terraform_emulation import emulate

    with scratch_dir() as tmp:
        tree = stage(tf_dir, Path(tmp) / "tree")
        gate = emulate(
            tree, allow_exec=settings.allow_exec, providers=providers_for(settings), copy=False
        )
    return gate.model_copy(update={"name": gate_ids.PLAN})

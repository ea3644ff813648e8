"""The emulator gate: init, plan -out, show -json, apply and destroy on a local AWS emulator.

It runs on a scratch copy of the project with an override file that points every `aws` provider
block at the emulator (fake keys, local state), so the user's output never changes and nothing
reaches AWS. Plan-time provider rules that no schema check sees, and apply-time API errors, become
findings; an API the emulator does not implement is reported as "not emulated" with its resource
type, never as a fault of the configuration; so is a check where moto is known to be stricter
than AWS (_NARROWER_THAN_AWS).
"""

from __future__ import annotations

import json
import re
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from pydantic import Field

from infragen.domain import Finding, GateResult
from infragen.errors import ToolError
from infragen.tools import terraform
from infragen.tools import terraform_diagnostics as diag
from infragen.tools.emulator import AwsEmulator, moto_available, moto_version
from infragen.tools.emulator_inputs import (
    provider_region,
    write_gap_override,
    write_placeholder_inputs,
    write_teardown_override,
)
from infragen.tools.hcl import HclParseError, parse_text
from infragen.tools.terraform_engine import EngineName, select_engine, terraform_env
from infragen.tools.terraform_providers import ProviderResolution, resolve_providers
from infragen.tools.terraform_safety import unsafe_constructs_in_dir

GATE_EMULATOR = "terraform-plan"
_QUIET = ["-input=false", "-lock=false", "-json", "-no-color"]
OVERRIDE_FILE = "zz_infragen_emulator_override.tf"
PROVIDER_FILE = "zz_infragen_emulator_provider.tf"
# What moto answers for an API it does not implement (or a service it does not serve): an
# unimplemented call raises NotImplementedError inside moto, which reaches the client as HTTP 500;
# an operation it has no route for is a bare 404.
_NOT_EMULATED = re.compile(
    r"not (?:yet )?implemented|NotImplemented|UnknownOperation|InvalidAction|"
    r"UnrecognizedClientException|StatusCode: 50[01]\b|is not supported by moto|"
    # a route moto does not serve: 404 without a request id, and no modelled AWS error
    r"StatusCode: 404, RequestID: ,",
    re.IGNORECASE,
)
# Checks where moto is stricter than AWS, by (resource type, error code moto raises). A config that
# AWS accepts fails there, so the error says nothing about the user's code: the resource is
# reported as not emulated, with moto's narrower rule as the reason.
_NARROWER_THAN_AWS = {
    ("aws_route53_query_log", "NoSuchCloudWatchLogsLogGroup"): (
        "moto accepts only a log group ARN ending in ':*'; AWS takes the plain ARN that "
        "aws_cloudwatch_log_group exports"
    ),
    ("aws_s3_bucket_logging", "InvalidTargetBucketForLogging"): (
        "moto wants a log bucket policy statement whose Resource equals <bucket>/<prefix>* "
        "literally; AWS checks delivery permissions when it writes the logs"
    ),
}


class EmulationResult(GateResult):
    """A gate result plus what happened on the emulator."""

    planned: int = Field(0, description="managed resources the plan would create or change")
    applied: int = Field(0, description="resources created or changed on the emulator")
    destroyed: int = Field(0, description="resources destroyed afterwards")
    not_emulated: list[str] = Field(default_factory=list, description="resource types")
    remaining: list[str] = Field(default_factory=list, description="in state after destroy")
    stage_s: dict[str, float] = Field(default_factory=dict, description="seconds per command")
    plan_json: dict[str, Any] | None = Field(None, exclude=True, description="show -json")


def _aws_provider_aliases(project: Path) -> list[str | None]:
    """The provider "aws" blocks of a root module by alias (None = the default one)."""
    aliases: list[str | None] = []
    for path in sorted(project.glob("*.tf")):
        if path.name.endswith("override.tf"):
            continue
        for group in parse_text(path.read_text(encoding="utf-8"), path.name).get("provider", []):
            for name, body in group.items():
                if name != "aws":
                    continue
                body = body[0] if isinstance(body, list) and body else body
                alias = body.get("alias") if isinstance(body, dict) else None
                alias = alias[0] if isinstance(alias, list) and alias else alias  # hcl2 wraps
                aliases.append(str(alias) if alias else None)
    return list(dict.fromkeys(aliases))


def write_emulator_files(project: Path, emulator: AwsEmulator) -> None:
    """Override every provider "aws" block; a configuration with none gets a plain one."""
    aliases = _aws_provider_aliases(project)
    if None not in aliases:
        # An override needs a block to merge into: without a default aws block, add a real one.
        (project / PROVIDER_FILE).write_text(emulator.default_provider_text(), encoding="utf-8")
        aliases = [a for a in aliases if a is not None]
    (project / OVERRIDE_FILE).write_text(emulator.override_text(aliases), encoding="utf-8")


def _events(stdout: str) -> list[dict[str, Any]]:
    events = []
    for line in stdout.splitlines():
        if line.startswith("{"):
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return events


def _errors(events: list[dict[str, Any]], stage: str) -> tuple[list[Finding], list[str]]:
    """Error diagnostics as findings, with the resource types the emulator could not serve."""
    findings, missing = [], []
    for event in events:
        d = event.get("diagnostic")
        if event.get("type") != "diagnostic" or not isinstance(d, dict):
            continue
        finding = diag.diagnostic_to_finding(d, GATE_EMULATOR)
        address = d.get("address") or ""
        if address:
            finding = finding.model_copy(update={"resource": address})
        text = f"{d.get('summary', '')} {d.get('detail', '')}"
        rtype = _resource_type(address)
        narrower = next(
            (why for (t, code), why in _NARROWER_THAN_AWS.items() if t == rtype and code in text),
            "",
        )
        if finding.severity == "error" and (narrower or _NOT_EMULATED.search(text)):
            missing.append(rtype or "unknown resource")
            cause = f"{narrower} ({finding.message})" if narrower else finding.message
            finding = finding.model_copy(
                update={
                    "severity": "info",
                    "rule_id": "not-emulated",
                    "message": f"not emulated ({stage}): {rtype or address}: {cause}",
                }
            )
        findings.append(finding)
    return findings, missing


def _resource_type(address: str) -> str:
    parts = [p for p in re.sub(r"\[[^\]]*\]", "", address).split(".") if p]
    while parts and parts[0] == "module":
        parts = parts[2:]
    if parts and parts[0] == "data":
        parts = parts[1:]
    return parts[0] if parts else ""


def _count(events: list[dict[str, Any]], actions: set[str]) -> int:
    return sum(
        1
        for e in events
        if e.get("type") == "apply_complete" and (e.get("hook") or {}).get("action") in actions
    )


def planned_changes(plan_json: dict[str, Any] | None) -> int:
    if not plan_json:
        return 0
    return sum(
        1
        for rc in plan_json.get("resource_changes", [])
        if rc.get("mode") == "managed" and rc.get("change", {}).get("actions") not in (["no-op"],)
    )


def emulate(
    directory: Path,
    *,
    allow_exec: bool = False,
    apply: bool = True,
    engine: EngineName | None = None,
    providers: ProviderResolution | None = None,
    timeout: float = 900,
    copy: bool = True,
) -> EmulationResult:
    """Plan (and apply, then destroy) `directory` on a fresh emulator that is gone afterwards.

    `copy=False` runs in `directory` itself: a throwaway tree the caller staged with its modules.
    """
    started = time.monotonic()

    def result(status: str, reason: str, findings: list[Finding] | None = None, **extra: Any):
        return EmulationResult(
            name=GATE_EMULATOR,
            status=status,
            reason=reason,
            findings=findings or [],
            duration_s=round(time.monotonic() - started, 3),
            **extra,
        )

    if not moto_available():
        return result(
            "skipped",
            "the AWS emulator is not installed: pip install 'infragen-iac[emulator]' (moto[server])",
        )
    try:
        unsafe = unsafe_constructs_in_dir(directory)
    except HclParseError as exc:
        finding = Finding(
            gate=GATE_EMULATOR, rule_id="parse-error", message=exc.message, file=exc.file
        )
        return result("failed", "refused: the configuration does not parse", [finding])
    if unsafe and not allow_exec:
        return result(
            "failed",
            f"refused: {len(unsafe)} construct(s) could execute code or read this machine; "
            "review them and pass --allow-exec to run them on the emulator",
            unsafe,
        )
    tf = select_engine(engine)
    if providers is None:
        providers = resolve_providers()
    tree = terraform.working_copy(directory) if copy else nullcontext(directory)
    with tree as project, AwsEmulator.start() as emulator:
        write_emulator_files(project, emulator)
        env = emulator.terraform_env(terraform_env())
        region = provider_region(project, env.get("AWS_REGION") or env["AWS_DEFAULT_REGION"])
        inputs = write_placeholder_inputs(project, lambda: emulator.issue_certificate(region))
        gaps = write_gap_override(project) if apply else []  # a plan calls none of those APIs
        gate = _run_stages(tf, project, providers, emulator, env, apply, timeout, result)
    notes = []
    if inputs:
        notes.append(
            Finding(
                gate=GATE_EMULATOR,
                rule_id="placeholder-inputs",
                severity="info",
                message="variables without a default ran with placeholders: "
                + ", ".join(f"{k} = {json.dumps(v)}" for k, v in inputs.items()),
            )
        )
    if gaps:
        notes.append(
            Finding(
                gate=GATE_EMULATOR,
                rule_id="emulator-gap",
                severity="info",
                message="changed in the emulator's copy only, so the rest is checked (these "
                "arguments themselves are not): " + "; ".join(gaps),
            )
        )
    if notes:
        gate = gate.model_copy(update={"findings": [*notes, *gate.findings]})
    if gaps:
        changed = ", ".join(g.split(" (", 1)[0] for g in gaps)
        gate = gate.model_copy(update={"reason": f"{gate.reason}; for moto only: {changed}"})
    return gate


def _run_stages(tf, project, providers, emulator, env, apply, timeout, result) -> EmulationResult:
    stage_s: dict[str, float] = {}

    def run(stage: str, args: list[str]):
        began = time.monotonic()
        out = tf.run(args, cwd=project, timeout=timeout, cli_config=cli_config, env=env)
        stage_s[stage] = round(time.monotonic() - began, 2)
        return out

    began = time.monotonic()
    rc, init_findings, cli_config = terraform.init_copy(
        tf, project, providers, backend=True, timeout=timeout, gate=GATE_EMULATOR, env=env
    )
    stage_s["init"] = round(time.monotonic() - began, 2)
    label = f"{terraform.engine_label(tf, project, providers)} on moto {moto_version()}"
    if rc != 0:
        missing = [f for f in init_findings if terraform.is_unavailable(f)]
        status = "skipped" if missing else "failed"
        reason = (
            terraform.unavailable_reason(tf.name, missing, providers)
            if missing
            else "terraform init failed"
        )
        return result(status, reason, init_findings, engine=label)
    plan_out = run("plan", ["plan", *_QUIET, "-out=tfplan"])
    plan_events = _events(plan_out.stdout)
    findings, missing = _errors(plan_events, "plan")
    if plan_out.returncode != 0:
        return _verdict(result, label, findings, missing, stage_s, planned=0)
    shown = run("show", ["show", "-json", "-no-color", "tfplan"])
    try:
        plan_json = json.loads(shown.stdout) if shown.returncode == 0 else None
    except json.JSONDecodeError:
        plan_json = None
    planned = planned_changes(plan_json)
    extra: dict[str, Any] = {"planned": planned, "plan_json": plan_json}
    if apply:
        applied = run("apply", ["apply", *_QUIET, "tfplan"])
        apply_events = _events(applied.stdout)
        more, gaps = _errors(apply_events, "apply")
        findings, missing = findings + more, missing + gaps
        extra["applied"] = _count(apply_events, {"create", "update", "replace"})
        protected = write_teardown_override(project)
        if protected:  # deletion protection off first, as for any teardown
            targets = [f"-target={address}" for address in protected]
            run("unprotect", ["apply", "-auto-approve", *_QUIET, *targets])
        destroyed = run("destroy", ["destroy", "-auto-approve", *_QUIET])
        destroy_events = _events(destroyed.stdout)
        extra["destroyed"] = _count(destroy_events, {"delete"})
        listed = run("state", ["state", "list", "-no-color"])
        extra["remaining"] = listed.stdout.split() if listed.returncode == 0 else []
        if destroyed.returncode != 0:
            # What stays behind is discarded with the emulator; say what, but it fails nothing.
            leftovers = [
                f.model_copy(update={"severity": "warning", "message": f"destroy: {f.message}"})
                for f in _errors(destroy_events, "destroy")[0]
                if f.severity == "error"
            ]
            findings += leftovers or [
                Finding(
                    gate=GATE_EMULATOR,
                    rule_id="destroy",
                    severity="warning",
                    message=f"terraform destroy did not finish: {destroyed.stderr.strip()[:300]}",
                )
            ]
    if not emulator.running():
        raise ToolError(
            f"the AWS emulator stopped during the run: {emulator.log_tail()}",
            "rerun; if it persists, report it with the emulator's output",
        )
    return _verdict(result, label, findings, missing, stage_s, **extra)


def _verdict(result, label, findings, missing, stage_s, **extra) -> EmulationResult:
    errors = [f for f in findings if f.severity == "error"]
    types = sorted(set(missing))
    timing = ", ".join(f"{k} {v:g}s" for k, v in stage_s.items())
    parts = []
    if "planned" in extra:
        parts.append(f"planned {extra['planned']}")
    if "applied" in extra:
        left = len(extra.get("remaining", []))
        parts.append(
            f"applied {extra['applied']}, destroyed {extra.get('destroyed', 0)}"
            + (f" ({left} left in state)" if left else " (nothing left)")
        )
    if types:
        parts.append(f"not emulated: {', '.join(types)}")
    if errors:
        parts.append(f"{len(errors)} error(s)")
    return result(
        "failed" if errors else "passed",
        "; ".join(parts) + f" ({timing})",
        findings,
        engine=label,
        not_emulated=types,
        stage_s=stage_s,
        **extra,
    )

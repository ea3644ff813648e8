"""Terraform gates: `fmt -check`, `validate` and a guarded `plan`, each returning a GateResult.

`validate` and `plan` work on a throwaway copy of the project, so `init` never leaves
`.terraform/` or a lock file in the user's output directory. Providers are installed from local
mirrors (`terraform_providers`), and from the registry only when downloads are allowed; when a
provider resolves nowhere, `validate` says so (status "skipped", which is never a pass) instead of
pretending the configuration was checked against provider schemas.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path

from infragen.domain import Finding, GateResult
from infragen.tools import terraform_diagnostics as diag
from infragen.tools.hcl import HclParseError
from infragen.tools.terraform_engine import EngineName, TerraformEngine, select_engine
from infragen.tools.terraform_providers import (
    ProviderResolution,
    describe_locked,
    resolve_providers,
    write_cli_config,
)
from infragen.tools.terraform_safety import unsafe_constructs_in_dir

GATE_FMT = "terraform-fmt"
GATE_VALIDATE = "terraform-validate"
GATE_PLAN = "terraform-plan"
# init/validate summaries that mean "a dependency could not be fetched", not "the config is wrong".
_UNAVAILABLE = (
    "Failed to query available provider packages",
    "Failed to install provider",
    "Failed to resolve provider packages",
    "Missing required provider",
    "Inconsistent dependency lock file",
    "Failed to download module",
    "Module not installed",
    "Error accessing remote module registry",
)
_CORE_VERSION = "Unsupported Terraform Core version"
CORE_OVERRIDE = "zz_infragen_core_version_override.tf"
_PROVIDER_NAME = re.compile(r"provider (?:registry\.terraform\.io/)?([\w-]+/[\w-]+)")
_CREDENTIAL_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
)


def is_unavailable(finding: Finding) -> bool:
    return finding.rule_id.startswith(_UNAVAILABLE)


def _status(findings: list[Finding]) -> str:
    return "failed" if any(f.severity == "error" for f in findings) else "passed"


@contextmanager
def working_copy(directory: Path) -> Iterator[Path]:
    """A temporary copy of the project without `.terraform/`, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="infragen-tf-") as tmp:
        target = Path(tmp) / "project"
        shutil.copytree(directory, target, ignore=shutil.ignore_patterns(".terraform", ".git"))
        yield target


def fmt_check(
    directory: Path, *, engine: EngineName | None = None, strict: bool = False, timeout: float = 60
) -> GateResult:
    """`terraform fmt -check -diff -recursive`: one finding per unformatted block.

    fmt only reads in -check mode, so it runs on the project itself. A file fmt cannot parse is
    an error and fails the gate. Unformatted code is a warning (a writer can reformat it without
    another model call) unless `strict`, as in CI, makes it an error.
    """
    started = time.monotonic()
    tf = select_engine(engine)
    result = tf.run(
        ["fmt", "-check", "-list=true", "-diff", "-no-color", "-recursive", "."],
        cwd=directory,
        timeout=timeout,
    )
    layout = diag.parse_fmt_diff(result.stdout, GATE_FMT)
    if strict:
        layout = [f.model_copy(update={"severity": "error"}) for f in layout]
    findings = layout + diag.parse_text_diagnostics(result.stderr, GATE_FMT)
    if result.returncode not in (0, 3) and not findings:
        findings.append(
            Finding(
                gate=GATE_FMT,
                rule_id="terraform-error",
                message=result.stderr.strip() or "fmt failed",
            )
        )
    status = (
        "failed" if result.returncode not in (0, 3) or _status(findings) == "failed" else "passed"
    )
    unformatted = sorted({f.file for f in findings if f.rule_id == "terraform-fmt" and f.file})
    reason = f"not canonically formatted: {', '.join(unformatted)}" if unformatted else ""
    return GateResult(
        name=GATE_FMT,
        status=status,
        engine=tf.name,
        findings=findings,
        reason=reason,
        duration_s=round(time.monotonic() - started, 3),
    )


def init_copy(
    tf: TerraformEngine,
    project: Path,
    providers: ProviderResolution,
    *,
    backend: bool,
    timeout: float,
    gate: str,
    env: Mapping[str, str] | None = None,
) -> tuple[int, list[Finding], Path | None]:
    """`terraform init` installing only from `providers`; returns the CLI config later commands need."""
    args = ["init", "-input=false", "-json", "-no-color"]
    if not backend:
        args.append("-backend=false")
    cli_config = None
    if providers.mirrors or not providers.download:
        # The user's own CLI configuration stays in charge only when it is the registry we use.
        cli_config = write_cli_config(project.parent, providers)
    result = tf.run(args, cwd=project, timeout=timeout, cli_config=cli_config, env=env)
    findings = diag.parse_json_lines(result.stdout, gate) + diag.parse_text_diagnostics(
        result.stderr, gate
    )
    core = [f for f in findings if f.rule_id.startswith(_CORE_VERSION)]
    if result.returncode != 0 and core:
        # `required_version` names another Terraform release than the one installed: that is the
        # machine's fact, not the configuration's fault. Check the code with this release anyway
        # (an override file in the scratch copy) and keep the mismatch as a warning.
        (project / CORE_OVERRIDE).write_text(
            'terraform {\n  required_version = ">= 0.0.0"\n}\n', encoding="utf-8"
        )
        result = tf.run(args, cwd=project, timeout=timeout, cli_config=cli_config, env=env)
        findings = [
            f.model_copy(
                update={
                    "severity": "warning",
                    "message": f"{f.message} (checked with the installed release regardless)",
                }
            )
            for f in core[:1]
        ]
        findings += diag.parse_json_lines(result.stdout, gate) + diag.parse_text_diagnostics(
            result.stderr, gate
        )
    return result.returncode, findings, cli_config


def unavailable_reason(engine: str, missing: list[Finding], providers: ProviderResolution) -> str:
    names = sorted({m for f in missing for m in _PROVIDER_NAME.findall(f.message)})
    what = ", ".join(names) if names else "providers/modules"
    how = (
        "no local mirror holds a matching version, and the registry could not be reached"
        if providers.download
        else "no local mirror holds a matching version, and downloads are off (put them in a filesystem mirror "
        "such as /opt/tf-plugins or in TF_PLUGIN_CACHE_DIR, or allow downloads)"
    )
    return (
        f"{engine}: configuration-level checks ran, but {what} could not be installed ({how}; "
        f"searched: {providers.describe()}); "
        "provider-level validation (attribute names and types) was not possible, "
        "so combine this with the offline schema check"
    )


def engine_label(tf: TerraformEngine, project: Path, providers: ProviderResolution) -> str:
    """'terraform with hashicorp/aws 5.100.0 from filesystem mirror /opt/tf-plugins' after init."""
    locked = describe_locked(project, providers)
    return f"{tf.name} with {locked}" if locked else tf.name


def provider_checked(gate: GateResult, source: str = "hashicorp/aws") -> bool:
    """Whether the gate ran against the real `source` provider (its engine names what init used)."""
    return gate.status != "skipped" and f" with {source} " in f"{gate.engine} ".replace(",", " ")


def validate(
    directory: Path,
    *,
    engine: EngineName | None = None,
    providers: ProviderResolution | None = None,
    download_providers: bool = False,
    timeout: float = 300,
    copy: bool = True,
) -> GateResult:
    """`terraform init -backend=false` + `terraform validate -json` on a copy of `directory`
    (`copy=False`: in `directory` itself, a throwaway tree the caller staged with its modules).

    Providers come from `providers` (default: every local mirror `resolve_providers` finds, plus
    the registry when `download_providers`); the gate's engine names the ones init installed.
    """
    started = time.monotonic()
    tf = select_engine(engine)
    if providers is None:
        providers = resolve_providers(download=download_providers)
    with working_copy(directory) if copy else nullcontext(directory) as project:
        rc, init_findings, cli_config = init_copy(
            tf, project, providers, backend=False, timeout=timeout, gate=GATE_VALIDATE
        )
        missing = [f for f in init_findings if is_unavailable(f)]
        broken = [f for f in init_findings if f.severity == "error" and not is_unavailable(f)]
        if rc != 0 and (broken or not missing):
            # The configuration itself is wrong: init stops before validate could say more.
            findings = init_findings or [
                Finding(
                    gate=GATE_VALIDATE, rule_id="terraform-init", message="terraform init failed"
                )
            ]
            return GateResult(
                name=GATE_VALIDATE,
                status="failed",
                engine=tf.name,
                findings=findings,
                reason="terraform init rejected the configuration",
                duration_s=round(time.monotonic() - started, 3),
            )
        result = tf.run(
            ["validate", "-json", "-no-color"], cwd=project, timeout=timeout, cli_config=cli_config
        )
        label = engine_label(tf, project, providers)
    findings = diag.parse_validate_json(result.stdout, GATE_VALIDATE)
    if result.returncode != 0 and not findings:
        findings = diag.parse_text_diagnostics(result.stderr, GATE_VALIDATE) or [
            Finding(
                gate=GATE_VALIDATE,
                rule_id="terraform-validate",
                message=result.stderr.strip() or "validate failed",
            )
        ]
    missing += [f for f in findings if is_unavailable(f)]
    findings = [f for f in findings if not is_unavailable(f)]
    findings += [f for f in init_findings if f.rule_id.startswith(_CORE_VERSION)]
    status = _status(findings)
    reason = ""
    if status == "passed" and missing:
        status, reason = "skipped", unavailable_reason(tf.name, missing, providers)
    elif status == "failed":
        reason = f"{sum(f.severity == 'error' for f in findings)} error(s) from terraform validate"
    return GateResult(
        name=GATE_VALIDATE,
        status=status,
        engine=label,
        findings=findings,
        reason=reason,
        duration_s=round(time.monotonic() - started, 3),
    )


def has_cloud_credentials(env: Mapping[str, str] | None = None) -> bool:
    """AWS credentials in the environment, or a shared credentials/config file that names a profile."""
    env = os.environ if env is None else env
    if any(env.get(name) for name in _CREDENTIAL_VARS):
        return True
    home = Path(env.get("HOME", str(Path.home())))
    files = [env.get("AWS_SHARED_CREDENTIALS_FILE"), str(home / ".aws" / "credentials")]
    return any(
        f and Path(f).is_file() and "[" in Path(f).read_text(errors="replace") for f in files
    )


def _skipped_plan(
    reason: str, started: float, findings: list[Finding] | None = None, status: str = "skipped"
) -> GateResult:
    return GateResult(
        name=GATE_PLAN,
        status=status,
        findings=findings or [],
        reason=reason,
        duration_s=round(time.monotonic() - started, 3),
    )


def plan(
    directory: Path,
    *,
    allow_exec: bool = False,
    explicit: bool = False,
    engine: EngineName | None = None,
    timeout: float = 600,
) -> GateResult:
    """`terraform plan` (never apply) when credentials exist or the user asked for it explicitly."""
    started = time.monotonic()
    if not (explicit or has_cloud_credentials()):
        from infragen.tools.emulator import moto_available

        emulator = (
            "pass --emulator to plan and apply on a local AWS emulator, "
            if moto_available()
            else "install the emulator extra (pip install 'infragen-iac[emulator]') and pass "
            "--emulator to plan and apply offline, "
        )
        return _skipped_plan(
            "no AWS credentials found (AWS_ACCESS_KEY_ID, AWS_PROFILE or ~/.aws/credentials); "
            f"{emulator}set credentials, or pass --plan to run terraform plan anyway",
            started,
        )
    try:
        unsafe = unsafe_constructs_in_dir(directory)
    except HclParseError as exc:
        finding = Finding(
            gate=GATE_PLAN, rule_id="parse-error", message=exc.message, file=exc.file, line=exc.line
        )
        return _skipped_plan(
            "refused: the configuration does not parse", started, [finding], "failed"
        )
    if unsafe and not allow_exec:
        return _skipped_plan(
            f"refused: {len(unsafe)} construct(s) could execute code or read this machine during plan; "
            "review them and pass --allow-exec to plan anyway",
            started,
            unsafe,
            "failed",
        )
    tf = select_engine(engine)
    providers = resolve_providers(download=True)
    with working_copy(directory) as project:
        rc, init_findings, cli_config = init_copy(
            tf, project, providers, backend=True, timeout=timeout, gate=GATE_PLAN
        )
        if rc != 0:
            missing = [f for f in init_findings if is_unavailable(f)]
            status = (
                "skipped"
                if missing
                and all(is_unavailable(f) or f.severity != "error" for f in init_findings)
                else "failed"
            )
            reason = (
                unavailable_reason(tf.name, missing, providers)
                if status == "skipped"
                else "terraform init failed"
            )
            return _skipped_plan(reason, started, init_findings, status).model_copy(
                update={"engine": tf.name}
            )
        args = ["plan", "-input=false", "-lock=false", "-json", "-no-color", "-detailed-exitcode"]
        result = tf.run(args, cwd=project, timeout=timeout, cli_config=cli_config)
        label = engine_label(tf, project, providers)
    findings = diag.parse_json_lines(result.stdout, GATE_PLAN)
    ok = result.returncode in (0, 2) and _status(findings) == "passed"
    if not ok and not findings:
        findings = [
            Finding(
                gate=GATE_PLAN,
                rule_id="terraform-plan",
                message=result.stderr.strip() or "plan failed",
            )
        ]
    errors = sum(f.severity == "error" for f in findings)
    reason = diag.change_summary(result.stdout) if ok else f"{errors} error(s) from terraform plan"
    return GateResult(
        name=GATE_PLAN,
        status="passed" if ok else "failed",
        engine=label,
        findings=findings,
        reason=reason + (" (unsafe constructs allowed by --allow-exec)" if unsafe else ""),
        duration_s=round(time.monotonic() - started, 3),
    )

"""User-supplied Rego intent policies (`--policy FILE.rego`): loaded and compiled before a run
starts, evaluated on the offline plan document by the completeness gate and `infragen check`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from infragen.domain import Finding
from infragen.errors import InfragenError
from infragen.intent.rego import evaluate_rego, is_rego_v1

MAX_POLICY_BYTES = 256_000


class Policy(BaseModel):
    """One policy file's name (for findings) and text (kept in the run state, so a resumed run
    checks the same policy even if the file changed)."""

    name: str
    text: str


def load_policies(paths: list[Path]) -> list[Policy]:
    """Read and compile every policy; a missing, unreadable or invalid one stops the run before
    anything is spent or written."""
    policies = []
    for path in paths:
        hint = "pass a readable Rego file (IaC-Eval style: no rule of `data` may be false)"
        try:
            if path.stat().st_size > MAX_POLICY_BYTES:
                raise InfragenError(f"policy {path} is larger than {MAX_POLICY_BYTES} bytes", hint)
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InfragenError(
                f"cannot read policy {path}: {exc.__class__.__name__}", hint
            ) from exc
        error = compile_error(text)
        if error:
            raise InfragenError(f"policy {path} does not compile: {error.splitlines()[0]}", hint)
        policies.append(Policy(name=path.name, text=text))
    return policies


def compile_error(text: str) -> str:
    import regorus

    engine = regorus.Engine()
    engine.set_rego_v0(not is_rego_v1(text))
    try:
        engine.add_policy("policy.rego", text)
    except Exception as exc:  # regorus raises RuntimeError with the parser's message
        return str(exc).strip() or exc.__class__.__name__
    return ""


def policy_findings(policies: list[Policy], plan_doc: dict[str, Any], gate: str) -> list[Finding]:
    """One finding per `false` rule (or per policy that fails to evaluate)."""
    findings = []
    for policy in policies:
        # the resource types a policy names tell the retry loop which files to show the architect
        types = " ".join(dict.fromkeys(re.findall(r'"(aws_[a-z0-9_]+)"', policy.text)))
        verdict = evaluate_rego(policy.text, plan_doc)
        if verdict.error:
            findings.append(
                Finding(
                    gate=gate,
                    rule_id=f"policy:{policy.name}",
                    message=f"policy {policy.name} failed to evaluate: "
                    f"{verdict.error.splitlines()[0]}",
                    resource=types,
                )
            )
        for rule in verdict.false_rules:
            findings.append(
                Finding(
                    gate=gate,
                    rule_id=f"policy:{policy.name}:{rule}",
                    message=f"policy {policy.name}: rule {rule} is false",
                    resource=types,
                )
            )
    return findings

"""Generated code is untrusted: remove command execution, and find plaintext secrets."""

from __future__ import annotations

import re

from infragen.domain import Finding
from infragen.tools.hcl import matching_brace

# HCL block labels may be quoted or bare identifiers (`provisioner local-exec {` is valid HCL).
_UNSAFE_HEAD = re.compile(
    r'^[ \t]*(?:provisioner\s+(?P<q>"?)(?P<prov>local-exec|remote-exec)(?P=q)'
    r'|data\s+(?P<dq>"?)(?P<data>external)(?P=dq)\s+(?:"[^"\n]*"|[\w-]+))\s*\{',
    re.M,
)
_JSON_UNSAFE = re.compile(r'"(?:local-exec|remote-exec|external)"')
_SECRET_PATTERNS = [
    (
        "plaintext-password",
        re.compile(
            r'^\s*(?:\w+_)?(?:password|passwd|secret|auth_token|secret_key|access_key)\s*=\s*"(?![$"])[^"]{4,}"',
            re.M | re.I,
        ),
    ),
    ("aws-access-key-id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("private-key", re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH )?PRIVATE KEY-----")),
]


def strip_unsafe_text(text: str) -> tuple[str, list[str]]:
    removed: list[str] = []
    while match := _UNSAFE_HEAD.search(text):
        close = matching_brace(text, match.end() - 1)
        end = len(text) if close is None else close + 1
        line = text.count("\n", 0, match.start()) + 1
        what = f'provisioner "{match["prov"]}"' if match["prov"] else 'data "external"'
        removed.append(f"{what} at line {line}")
        text = text[: match.start()] + text[end:].lstrip("\n")
    return text, removed


def strip_unsafe(files: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Remove provisioners that run commands and `external` data sources; report each removal."""
    cleaned, notes = {}, []
    for path, text in files.items():
        if path.endswith(".tf.json") and _JSON_UNSAFE.search(text):  # JSON-syntax Terraform
            notes.append(f"removed {path}: it runs commands or external programs")
            continue
        new, removed = strip_unsafe_text(text) if path.endswith(".tf") else (text, [])
        cleaned[path] = new
        notes += [
            f"removed {what} from {path} (generated code may not run commands)" for what in removed
        ]
    return cleaned, notes


def find_secrets(files: dict[str, str]) -> list[Finding]:
    findings = []
    for path, text in files.items():
        for rule_id, pattern in _SECRET_PATTERNS:
            for m in pattern.finditer(text):
                findings.append(
                    Finding(
                        gate="validate",
                        rule_id=rule_id,
                        message="plaintext secret in generated code; use manage_master_user_password, "
                        "random_password or a secrets manager reference",
                        file=path,
                        line=text.count("\n", 0, m.start()) + 1,
                    )
                )
    return findings

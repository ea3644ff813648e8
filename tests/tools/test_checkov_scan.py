"""Checkov runs for real, offline, and fails closed."""

import socket

import pytest

from infragen.tools import checkov


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_insecure_terraform_fails_with_typed_findings(fixtures, no_network):
    result = checkov.scan(fixtures / "checkov_insecure", frameworks=["terraform"])
    assert result.status == "failed" and result.engine.startswith("checkov ")
    ssh = next(f for f in result.findings if f.rule_id == "CKV_AWS_24")
    assert (ssh.file, ssh.line, ssh.resource) == ("main.tf", 4, "aws_security_group.web")
    assert ssh.severity == "error" and ssh.guideline
    assert no_network == [], "a scan must not open any connection"


def test_skip_checks_and_fail_on_ids(fixtures, no_network):
    skipped = checkov.scan(
        fixtures / "checkov_insecure", frameworks=["terraform"], skip_checks=["CKV_AWS_24"]
    )
    assert "CKV_AWS_24" not in {f.rule_id for f in skipped.findings}
    only = checkov.scan(
        fixtures / "checkov_insecure", frameworks=["terraform"], fail_on=["CKV_AWS_24"]
    )
    errors = {f.rule_id for f in only.findings if f.severity == "error"}
    assert errors == {"CKV_AWS_24"} and only.status == "failed"
    report = checkov.scan(fixtures / "checkov_insecure", frameworks=["terraform"], fail_on="NONE")
    assert (
        report.status == "passed"
        and report.findings
        and all(f.severity == "warning" for f in report.findings)
    )


def test_unparsable_terraform_fails_closed(fixtures, tmp_path, no_network):
    (tmp_path / "broken.tf").write_text((fixtures / "tf_unparsable" / "main.tf").read_text())
    result = checkov.scan(tmp_path, frameworks=["terraform"], fail_on="NONE")
    assert result.status == "failed"
    parse = [f for f in result.findings if f.rule_id == "parse-error"]
    assert parse and parse[0].file == "broken.tf" and parse[0].line == 2


def test_ansible_framework_and_broken_yaml(fixtures, tmp_path, no_network):
    result = checkov.scan(fixtures / "ansible_ok", frameworks=["ansible"])
    assert result.status == "passed", result.findings
    (tmp_path / "site.yml").write_text("- hosts: [\n  tasks: {\n")
    broken = checkov.scan(tmp_path, frameworks=["ansible"])
    assert broken.status == "failed" and broken.findings[0].rule_id == "parse-error"


def test_nothing_to_scan_is_skipped_not_passed(tmp_path):
    result = checkov.scan(tmp_path)
    assert result.status == "skipped" and "no files" in result.reason


def test_severity_threshold_fails_closed_without_severity():
    assert checkov._is_failing("CKV_X", None, ["HIGH"])
    assert not checkov._is_failing("CKV_X", "LOW", ["HIGH"])
    assert checkov._is_failing("CKV_X", "CRITICAL", ["HIGH"])
    assert not checkov._is_failing("CKV_X", None, ["NONE"])

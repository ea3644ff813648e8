"""The other commands through the real CLI: check, check --only schema, plan --offline, eval, route, doctor."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from infragen.api import generate
from infragen.cli import app
from infragen.settings import RunSettings

runner = CliRunner()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    out = tmp_path_factory.mktemp("proj") / "out"
    generate(
        "create vpc with rds", output_dir=out, settings=RunSettings(offline=True, max_retries=1)
    )
    return out


def test_check_passes_a_generated_project_with_json_report(project):
    result = runner.invoke(app, ["check", str(project), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"validate", "security", "cost", "ansible"} <= set(report["gates"])
    assert report["status"] == "passed"


def test_check_fails_on_broken_code_and_emits_sarif(tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "aws_db_instance" "db" {\n  db_password = "hunter2hunter2"\n}\n'
    )
    result = runner.invoke(app, ["check", str(tmp_path), "--only", "validate", "--format", "sarif"])
    assert result.exit_code == 1
    sarif = json.loads(result.output)
    assert sarif["version"] == "2.1.0"
    rules = {r["ruleId"] for run in sarif["runs"] for r in run["results"]}
    # terraform validate's verdict when a provider resolves, else the offline schema's
    assert rules & {"Unsupported argument", "schema.unknown-argument"}
    assert "plaintext-password" not in rules
    # a hard-coded secret is a security finding, not a validity error
    result = runner.invoke(app, ["check", str(tmp_path), "--only", "security", "--format", "sarif"])
    rules = {r["ruleId"] for run in json.loads(result.output)["runs"] for r in run["results"]}
    assert result.exit_code == 1 and "plaintext-password" in rules


def test_check_only_schema_prints_one_json_document_for_many_paths(project, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  buckett = "x"\n}\n')
    result = runner.invoke(
        app, ["check", "--only", "schema", "--format", "json", str(project / "terraform"), str(bad)]
    )
    assert result.exit_code == 1
    doc = json.loads(result.output)
    findings = [r["gates"]["validate"]["findings"] for r in doc["reports"]]
    assert doc["status"] == "failed" and findings[0] == []
    assert any("bucket" in f["message"] for f in findings[1])


def test_plan_offline_prints_a_show_json_document(project):
    result = runner.invoke(app, ["plan", str(project / "terraform")])
    assert result.exit_code == 0
    doc = json.loads(result.output)
    types = {r["type"] for r in doc["configuration"]["root_module"]["resources"]}
    assert "aws_db_instance" in types and "aws_vpc" in types


def test_eval_smoke_offline_produces_a_report(tmp_path):
    result = runner.invoke(
        app,
        [
            "eval",
            "iac-eval",
            "--split",
            "smoke",
            "--limit",
            "3",
            "--offline",
            "--format",
            "json",
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["tasks"] == 3 and len(report["scores"]) == 3
    assert (tmp_path / "REPORT.md").is_file()


def test_route_file_prints_one_json_line_per_request(tmp_path):
    requests = tmp_path / "requests.txt"
    requests.write_text("create vpc with rds\nwhat's the weather in paris\n")
    result = runner.invoke(
        app, ["route", "--file", str(requests), "--format", "json", "--baseline"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["request"] for line in lines] == [
        "create vpc with rds",
        "what's the weather in paris",
    ]
    assert lines[1]["class"] == "out_of_scope"
    assert set(lines[0]) == {"request", "class", "tier", "confidence", "reason"}


def test_doctor_lists_tools():
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0
    assert "checkov" in result.output and "infracost" in result.output


def test_version_prints_the_installed_version():
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "infragen", "--version"], capture_output=True, text=True, timeout=60
    )
    assert (
        proc.returncode == 0
        and proc.stdout.startswith("infragen ")
        and proc.stdout.strip() != "infragen"
    )

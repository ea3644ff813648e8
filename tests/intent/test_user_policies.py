"""`--policy FILE.rego`: user intent policies run on the offline plan document in the completeness
gate (and feed the retry loop) and in `infragen check`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infragen.api import generate
from infragen.errors import InfragenError
from infragen.intent.policies import load_policies
from infragen.settings import RunSettings
from tests.pipeline.test_retry_loop import FIXED, scripted_answers

TOPIC_NAMED_ALERTS = """package infragen.intent
import rego.v1

default topic_named_alerts := false

topic_named_alerts if {
    some r in input.planned_values.root_module.resources
    r.type == "aws_sns_topic"
    r.values.name == "alerts"
}
"""

# v0 syntax, as most IaC-Eval policies are written
RDS_IS_MYSQL = """package terraform.validation
default is_mysql = false
is_mysql {
    r := input.configuration.root_module.resources[_]
    r.type == "aws_db_instance"
    r.expressions.engine.constant_value == "mysql"
}
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "infragen", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_failed_policy_rule_goes_to_the_architect_and_the_fix_passes(scripted, tmp_path):
    wrong_name = FIXED.replace('name              = "alerts"', 'name              = "notices"')
    assert wrong_name != FIXED
    models = scripted(scripted_answers([wrong_name, FIXED]))
    settings = RunSettings(
        policies=[write(tmp_path / "topic.rego", TOPIC_NAMED_ALERTS)], catalogue_first=False
    )
    result = generate(
        "sns topic for alerts", output_dir=tmp_path / "out", models=models, settings=settings
    )

    assert result.status == "passed", result.report["gates"]
    assert result.report["attempts"] == 2
    first = result.report["attempt_log"][0]
    assert first["failed_gates"] == ["completeness"]
    feedback = models.requests["architect"][1].payload["feedback"]
    assert "policy:topic.rego:infragen.intent.topic_named_alerts" in feedback
    assert "rego policies" in result.gates["completeness"]["engine"]


def test_policy_that_cannot_pass_fails_the_run_with_the_rule_named(tmp_path):
    policy = write(tmp_path / "mysql.rego", RDS_IS_MYSQL)
    proc = cli(
        "create vpc with postgres rds",
        "--offline",
        "--max-retries",
        "1",
        "--format",
        "json",
        "--policy",
        str(policy),
        "-o",
        "out",
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    completeness = report["gates"]["completeness"]
    assert completeness["status"] == "failed"
    assert [f["rule_id"] for f in completeness["findings"]] == [
        "policy:mysql.rego:terraform.validation.is_mysql"
    ]
    assert (tmp_path / "out" / "report.json").is_file()  # a failed run still writes its work


def test_policy_that_holds_passes_through_the_cli(tmp_path):
    policy = write(tmp_path / "pg.rego", RDS_IS_MYSQL.replace('"mysql"', '"postgres"'))
    proc = cli(
        "create vpc with postgres rds",
        "--offline",
        "-q",
        "--policy",
        str(policy),
        "-o",
        "out",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    "text, problem",
    [
        (None, "cannot read policy"),
        ("package x\nallow {{{ nonsense", "does not compile"),
    ],
)
def test_bad_policy_file_is_a_one_line_exit_2_before_anything_is_written(tmp_path, text, problem):
    policy = tmp_path / "p.rego"
    if text is not None:
        policy.write_text(text)
    proc = cli(
        "create vpc with rds", "--offline", "--policy", str(policy), "-o", "out", cwd=tmp_path
    )
    assert proc.returncode == 2
    assert problem in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_load_policies_rejects_oversized_files(tmp_path):
    big = write(tmp_path / "big.rego", "package big\n" + "# padding\n" * 40_000)
    with pytest.raises(InfragenError, match="larger than"):
        load_policies([big])


def test_check_runs_policies_on_an_existing_project(tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "main.tf").write_text(
        FIXED.split("<<<FILE terraform/main.tf>>>\n", 1)[1].split("<<<END>>>", 1)[0]
    )
    good = write(tmp_path / "good.rego", TOPIC_NAMED_ALERTS)
    bad = write(tmp_path / "bad.rego", TOPIC_NAMED_ALERTS.replace('"alerts"', '"billing"'))

    ok = cli(
        "check",
        str(project),
        "--only",
        "policy",
        "--policy",
        str(good),
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["gates"]["policy"]["status"] == "passed"

    failed = cli(
        "check",
        str(project),
        "--only",
        "policy",
        "--policy",
        str(good),
        "--policy",
        str(bad),
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert failed.returncode == 1
    findings = json.loads(failed.stdout)["gates"]["policy"]["findings"]
    assert [f["rule_id"] for f in findings] == [
        "policy:bad.rego:infragen.intent.topic_named_alerts"
    ]

    missing = cli("check", str(project), "--only", "policy", cwd=tmp_path)
    assert missing.returncode == 2 and "--policy" in missing.stderr

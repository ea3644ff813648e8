"""The real CLI in a subprocess: exit codes, JSON report keys, refusals that write nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPORT_KEYS = {
    "status",
    "request",
    "output_dir",
    "files",
    "attempts",
    "gates",
    "cost",
    "usage",
    "models",
    "attempt_log",
}


def run_cli(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "infragen", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_demo_request_json_report(tmp_path):
    proc = run_cli(
        "create vpc with rds", "--offline", "--format", "json", "-o", "out", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert set(report) >= REPORT_KEYS
    assert report["status"] == "passed"
    assert {"validate", "completeness", "plan", "security", "cost", "ansible"} <= set(
        report["gates"]
    )
    assert report["gates"]["plan"]["status"] == "skipped"
    assert {"total_tokens", "by_node", "by_model", "cache_hits"} <= set(report["usage"])
    assert {"monthly_usd", "source", "lines"} <= set(report["cost"])
    assert report["models"]["architect"].startswith("offline:")
    assert (tmp_path / "out" / "terraform" / "database.tf").exists() or any(
        "aws_db_instance" in p.read_text() for p in (tmp_path / "out" / "terraform").glob("*.tf")
    )


def test_default_output_dir_is_slug_under_infragen_out(tmp_path):
    proc = run_cli("create vpc with rds", "--offline", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "infragen-out" / "create-vpc-with-rds" / "REPORT.md").is_file()


def test_non_empty_output_dir_is_refused_without_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    proc = run_cli("create vpc with rds", "--offline", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 2
    assert "--force" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    forced = run_cli("create vpc with rds", "--offline", "-q", "-o", "out", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (out / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize(
    "request_text",
    [
        "",
        "   ",
        "destroy all my databases",
        "x" * 4001,
        "tell me a joke about cats",
        "create a kubernetes cluster on gke",
    ],
)
def test_bad_or_unservable_requests_exit_2_and_write_nothing(request_text, tmp_path):
    proc = run_cli(request_text, "--offline", "-o", "out", cwd=tmp_path)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert "Traceback" not in proc.stderr


def test_unservable_request_names_the_catalogue_and_the_fix(tmp_path):
    proc = run_cli(
        "create a kubernetes cluster on gke", "--offline", "--format", "json", cwd=tmp_path
    )
    assert proc.returncode == 2
    report = json.loads(proc.stdout)
    assert report["status"] == "refused"
    assert "covered:" in report["refusal"] and "GROQ_API_KEY" in report["refusal"]


def test_help_lists_every_command(tmp_path):
    proc = run_cli("--help", cwd=tmp_path)
    assert proc.returncode == 0
    for command in ("generate", "check", "resume", "doctor", "graph"):
        assert command in proc.stdout

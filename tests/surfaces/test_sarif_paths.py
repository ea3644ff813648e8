"""SARIF locations point at real files relative to the working directory (the repository root in
CI), whichever gate reported them: code scanning attaches alerts only to paths that exist."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def sarif_uris(stdout: str) -> dict[str, set[str]]:
    log = json.loads(stdout)
    return {
        run["tool"]["driver"]["name"]: {
            loc["physicalLocation"]["artifactLocation"]["uri"]
            for result in run["results"]
            for loc in result.get("locations", [])
        }
        for run in log["runs"]
    }


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "infragen", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_check_of_a_bare_terraform_directory_reports_paths_that_exist(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "fixtures" / "tools" / "checkov_insecure", repo / "infra")
    (repo / "infra" / "broken.tf").write_text('resource "aws_s3_bucket" "x" {\n  bucket = 3 +\n}\n')
    proc = run("check", "infra", "--format", "sarif", cwd=repo)
    uris = sarif_uris(proc.stdout)
    every = set().union(*uris.values())
    assert every, proc.stdout
    assert all((repo / uri).is_file() for uri in every), every
    assert all(uri.startswith("infra/") and "terraform/" not in uri for uri in every)


def test_generated_project_paths_include_the_output_directory(tmp_path, monkeypatch):
    from infragen.tools.sarif import to_sarif

    monkeypatch.chdir(tmp_path)
    finding = {"gate": "security", "rule_id": "CKV_AWS_16", "message": "x", "file": "/database.tf"}
    ansible = {"gate": "ansible", "rule_id": "syntax", "message": "y", "file": "playbook.yml"}
    validate = {"gate": "validate", "message": "z", "file": "terraform/main.tf", "line": 3}
    report = {
        "output_dir": "out",
        "gates": {
            "security": {"name": "security", "status": "failed", "findings": [finding]},
            "ansible": {"name": "ansible", "status": "failed", "findings": [ansible]},
            "validate": {"name": "validate", "status": "failed", "findings": [validate]},
        },
    }
    uris = sarif_uris(json.dumps(to_sarif(report)))
    assert uris == {
        "infragen/security": {"out/terraform/database.tf"},
        "infragen/ansible": {"out/ansible/playbook.yml"},
        "infragen/validate": {"out/terraform/main.tf"},
    }

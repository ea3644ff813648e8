"""The GitHub Actions example and the pre-commit hook, tested by running the commands they name
through the installed `infragen` entry point on real Terraform fixtures."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "tools"
WORKFLOW = ROOT / "examples" / "github-actions.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
BIN = Path(sys.executable).parent


def sarif_errors(log: dict) -> list[str]:
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())
    return [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(log)]


def shell(script: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run a workflow `run:` script the way GitHub's default shell does (bash -e)."""
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "INFRAGEN_STATE_DIR": str(cwd / ".state"),
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def workflow_steps() -> dict[str, list[dict]]:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    return {name: job["steps"] for name, job in workflow["jobs"].items()}


def infragen_step(steps: list[dict]) -> dict:
    [step] = [s for s in steps if s.get("run", "").startswith("infragen ")]
    return step


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The four slow commands (two workflow steps, the hook on bad and on good code) run at once."""
    dirs = {
        name: tmp_path_factory.mktemp(name)
        for name in ("check", "generate", "hook_bad", "hook_good")
    }
    shutil.copytree(FIXTURES / "checkov_insecure", dirs["check"] / "terraform")
    (dirs["generate"] / "infra-request.txt").write_text(
        "private s3 bucket for logs with versioning\n"
    )
    shutil.copytree(FIXTURES / "checkov_insecure", dirs["hook_bad"] / "infra")
    (dirs["hook_bad"] / "README.md").write_text("not terraform\n")
    shutil.copytree(FIXTURES / "tf_valid", dirs["hook_good"] / "a")
    (dirs["hook_good"] / "a" / "more.tf").write_text('locals {\n  owner = "platform"\n}\n')
    steps = workflow_steps()
    jobs = {
        "check": (shell, infragen_step(steps["check"])["run"]),
        "generate": (shell, infragen_step(steps["generate"])["run"]),
        "hook_bad": (run_hook, ["infra/main.tf", "README.md"]),
        "hook_good": (run_hook, ["a/main.tf", "a/more.tf"]),
    }
    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = {
            name: pool.submit(fn, dirs[name], arg)
            if fn is run_hook
            else pool.submit(fn, arg, dirs[name])
            for name, (fn, arg) in jobs.items()
        }
        return {name: (future.result(), dirs[name]) for name, future in futures.items()}


def test_workflow_installs_infragen_and_uploads_the_sarif_it_writes():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow["permissions"]["security-events"] == "write"
    for steps in workflow_steps().values():
        assert any(s.get("run") == INSTALL_STEP for s in steps)
        sarif_file = infragen_step(steps)["run"].rsplit("> ", 1)[1]
        [upload] = [
            s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")
        ]
        assert upload["with"]["sarif_file"] == sarif_file
        assert upload["if"] == "always()", "findings must upload when the check step fails"


INSTALL_STEP = 'pip install "infragen-iac @ ${INFRAGEN_SOURCE}@${INFRAGEN_REF}"'


def test_workflow_installs_this_project_never_the_pypi_namesake():
    """`pip install infragen` fetched another author's project; the example installs this one,
    by its distribution name, from a git repository at a tag."""
    import tomllib

    from packaging.requirements import Requirement

    name = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
    assert name != "infragen"
    workflow = yaml.safe_load(WORKFLOW.read_text())
    env = workflow["env"]
    for job, steps in workflow_steps().items():
        [install] = [s["run"] for s in steps if s.get("run", "").startswith("pip install")]
        words = shlex.split(
            install.replace("${INFRAGEN_SOURCE}", env["INFRAGEN_SOURCE"]).replace(
                "${INFRAGEN_REF}", env["INFRAGEN_REF"]
            )
        )
        assert words[:2] == ["pip", "install"] and len(words) == 3, (job, install)
        requirement = Requirement(words[2])
        assert requirement.name == name, (job, install)
        assert requirement.url.startswith("git+https://"), (job, install)
        assert requirement.url.rsplit("@", 1)[1] == env["INFRAGEN_REF"]
    assert env["INFRAGEN_REF"].startswith("v")  # a release tag, not a moving branch


def test_workflow_check_step_fails_on_insecure_code_with_valid_sarif(runs):
    proc, cwd = runs["check"]
    assert proc.returncode == 1, proc.stderr
    log = json.loads((cwd / "infragen-check.sarif").read_text())
    assert sarif_errors(log) == []
    results = {r["ruleId"] for run in log["runs"] for r in run["results"]}
    assert {"CKV_AWS_24", "CKV2_AWS_6"} <= results  # open SSH, bucket without public access block


def test_workflow_generate_step_writes_a_project_and_valid_sarif(runs):
    step = infragen_step(workflow_steps()["generate"])
    assert "--ci" in step["run"] and "--format sarif" in step["run"]
    proc, cwd = runs["generate"]
    assert proc.returncode == 0, proc.stderr
    log = json.loads((cwd / "infragen-generate.sarif").read_text())
    assert sarif_errors(log) == []
    drivers = [run["tool"]["driver"]["name"] for run in log["runs"]]
    assert {"infragen/validate", "infragen/security", "infragen/cost"} <= set(drivers)
    assert not any(r["level"] == "error" for run in log["runs"] for r in run["results"])
    report = json.loads((cwd / "generated" / "report.json").read_text())
    assert (
        report["status"] == "passed"
        and report["request"] == "private s3 bucket for logs with versioning"
    )


def hook() -> dict:
    [definition] = [h for h in yaml.safe_load(HOOKS.read_text()) if h["id"] == "infragen-check"]
    return definition


def run_hook(cwd: Path, filenames: list[str]) -> subprocess.CompletedProcess:
    """What pre-commit does: entry, then args, then the staged files that match `files`."""
    import re

    definition = hook()
    staged = [f for f in filenames if re.search(definition["files"], f)]
    entry = shlex.split(definition["entry"])
    argv = [str(BIN / entry[0]), *entry[1:], *definition.get("args", []), *staged]
    return subprocess.run(
        argv,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1", "INFRAGEN_STATE_DIR": str(cwd / ".state")},
    )


def test_hook_definition_is_one_python_hook_on_tf_files():
    definition = hook()
    assert definition["language"] == "python" and definition["entry"].split()[0] == "infragen"
    assert definition["require_serial"] is True


def test_hook_fails_on_insecure_terraform_and_names_the_findings(runs):
    proc, _ = runs["hook_bad"]
    assert proc.returncode == 1, proc.stderr
    assert "CKV_AWS_24" in proc.stdout and "main.tf:4" in proc.stdout
    # failures and one summary line (README.md is not passed: one root)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("FAILED ") and "(security)" in lines[0]
    assert all(line.startswith("  ERROR ") for line in lines[1:-1])
    assert re.fullmatch(r"infragen check: 1 of 1 root failed, \d+ failing finding\(s\)", lines[-1])
    assert int(lines[-1].split(", ")[1].split()[0]) == len(lines) - 2


def test_hook_passes_on_clean_terraform_checking_its_directory_once(runs):
    proc, _ = runs["hook_good"]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # a passing commit prints nothing (pre-commit shows output only on failure)
    assert proc.stdout == ""

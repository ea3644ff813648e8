"""Faults mid-run: a clean one-line message, the documented exit code, no traceback, the partial
project and a report naming the failed step, a checkpoint `resume` can finish, and no key anywhere."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fake_chat_server import ChatServer, fail, ok, slow
from hardening_support import (
    FAKE_KEY,
    INFRAGEN,
    assert_no_key,
    assert_one_line_error,
    subprocess_env,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))
from test_retry_loop import PLAN, PLAYBOOK, SPEC, scripted_answers  # noqa: E402

GROQ_MODELS = (
    "llama-3.1-8b-instant",
    "meta-llama/llama-4-scout-17b-16e-instruct",
    "llama-3.3-70b-versatile",
    "openai/gpt-oss-120b",
    "openai/gpt-oss-20b",
    "qwen/qwen3-32b",
)


@pytest.fixture
def groq(monkeypatch):
    """A fake Groq on 127.0.0.1; the run may not fall back to the offline backend."""
    with ChatServer() as server:
        monkeypatch.setenv("GROQ_BASE_URL", server.url)
        monkeypatch.setenv("MODEL_OFFLINE_FALLBACK", "false")
        monkeypatch.setenv("MODEL_RETRIES", "0")
        monkeypatch.setenv("MODEL_TIMEOUT_S", "5")
        monkeypatch.setenv("INFRAGEN_CATALOGUE_FIRST", "false")
        yield server


def report_of(out: Path) -> dict:
    return json.loads((out / "report.json").read_text())


def test_model_errors_echoing_the_key_exit_3_and_keep_the_partial_run(
    groq, cli, tmp_path, isolated_state
):
    leak = f"Invalid API Key: {FAKE_KEY}"
    groq.scripts = {m: [fail(500, "internal_error", leak)] for m in GROQ_MODELS}
    groq.scripts["llama-3.1-8b-instant"] = [ok(SPEC), ok(PLAN)]  # clarifier, planner
    groq.scripts["meta-llama/llama-4-scout-17b-16e-instruct"] = [fail(401, "invalid_api_key", leak)]
    out = tmp_path / "out"
    code, stdout, stderr = cli("sns topic for alerts", "-o", str(out))
    assert code == 3, stderr
    assert_one_line_error(stderr)
    assert "architect" in stderr
    report = report_of(out)
    assert report["status"] == "error" and report["failed_step"] == "architect"
    assert (
        "Failed step" in (out / "REPORT.md").read_text()
        or "architect" in (out / "REPORT.md").read_text()
    )
    assert report["models"]["clarifier"].startswith("groq:")
    assert all(c.authorization == f"Bearer {FAKE_KEY}" for c in groq.calls)  # it was really sent
    assert_no_key(stdout, stderr, paths=(out, isolated_state))

    # the checkpoint finishes the run without asking the clarifier or planner again
    code, stdout, stderr = cli("resume", report["run_id"], "--offline", "--format", "json")
    assert code in (0, 1), stderr
    resumed = json.loads(stdout)
    assert resumed["run_id"] == report["run_id"]
    assert resumed["models"]["clarifier"].startswith("groq:")  # kept from the first run
    assert (out / "terraform").is_dir() and report_of(out)["status"] in ("passed", "failed")
    assert_no_key(stdout, stderr, paths=(out, isolated_state))


def test_checkov_crash_keeps_partial_project_and_names_the_step(
    cli, monkeypatch, tmp_path, isolated_state
):
    def crash(*args, **kwargs):
        raise RuntimeError(f"checkov exploded; environment had GROQ_API_KEY={FAKE_KEY}")

    monkeypatch.setattr("infragen.tools.checkov.scan", crash)
    out = tmp_path / "out"
    code, stdout, stderr = cli(
        "create vpc with rds", "--offline", "--format", "json", "-o", str(out)
    )
    assert code == 3, stderr
    assert "Traceback" not in stdout + stderr
    report = json.loads(stdout)
    assert report["status"] == "error" and report["failed_step"] == "security"
    assert "RuntimeError: checkov exploded" in report["error"]
    assert report_of(out)["failed_step"] == "security"
    assert "Error in step `security`" in (out / "REPORT.md").read_text()
    assert sorted(p.name for p in (out / "terraform").glob("*.tf"))  # the code is kept
    assert_no_key(stdout, stderr, paths=(out, isolated_state))


def test_a_resumed_run_that_crashes_again_names_the_step_that_failed(cli, monkeypatch, tmp_path):
    """The step comes from the checkpoint, not from the last step this process saw finish (a
    resumed run has seen none, and would have blamed the clarifier)."""

    def crash(*args, **kwargs):
        raise RuntimeError("checkov exploded")

    monkeypatch.setattr("infragen.tools.checkov.scan", crash)
    out = tmp_path / "out"
    code, stdout, _ = cli("create vpc with rds", "--offline", "--format", "json", "-o", str(out))
    assert code == 3 and json.loads(stdout)["failed_step"] == "security"
    code, stdout, _ = cli("resume", json.loads(stdout)["run_id"], "--offline", "--format", "json")
    assert code == 3
    assert json.loads(stdout)["failed_step"] == "security"
    assert report_of(out)["failed_step"] == "security"


def test_terraform_missing_from_path_is_reported_not_fatal(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert not any(Path(d, "terraform").exists() for d in ("/usr/bin", "/bin"))
    out = tmp_path / "out"
    code, stdout, stderr = cli(
        "sns topic for alerts", "--offline", "--format", "json", "-o", str(out)
    )
    assert code in (0, 1), stderr
    report = json.loads(stdout)
    validate = report["gates"]["validate"]
    assert validate["status"] != "error"
    assert "terraform" in (validate["engine"] + validate.get("reason", "")).lower()
    assert report_of(out)["status"] == report["status"]


def test_ansible_failing_is_a_failed_gate_and_a_crash_names_the_step(
    cli, scripted_cli, monkeypatch, tmp_path
):
    from test_retry_loop import FIXED

    broken = PLAYBOOK.replace("  tasks:\n", "  tasks:\n    - name: [unclosed\n")
    scripted_cli({**scripted_answers([FIXED]), "ansible": [broken]})
    out = tmp_path / "bad-playbook"
    code, _, stderr = cli("sns topic for alerts", "--max-retries", "1", "-o", str(out))
    assert code == 1, stderr
    assert report_of(out)["gates"]["ansible"]["status"] == "failed"

    from infragen.errors import ToolError

    def hung(*args, **kwargs):
        raise ToolError(
            "ansible-playbook timed out after 120 s", "raise the timeout or fix the playbook"
        )

    monkeypatch.setattr("infragen.tools.ansible.syntax_check", hung)
    out = tmp_path / "crash"
    code, _, stderr = cli("sns topic for alerts", "--max-retries", "1", "-o", str(out))
    assert code == 3  # a tool that crashed is an error, never "a gate failed" (exit 1)
    assert_one_line_error(stderr)
    assert report_of(out)["failed_step"] == "ansible"
    assert (out / "terraform" / "main.tf").is_file()


def test_disk_full_is_a_clean_error_and_resume_writes_the_project(cli, monkeypatch, tmp_path):
    import infragen.workspace as workspace

    out = tmp_path / "out"
    real = workspace.write_atomic

    def full_disk(path, text):
        if Path(path).resolve().is_relative_to(out.resolve()):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, text)

    monkeypatch.setattr(workspace, "write_atomic", full_disk)
    code, stdout, stderr = cli("sns topic for alerts", "--offline", "-o", str(out))
    assert code == 3, stderr
    assert_one_line_error(stderr)
    assert "No space left on device" in stderr and "infragen resume" in stderr
    assert not list(out.rglob("*.tmp"))  # no half-written files left behind
    run_id = stderr.rsplit("infragen resume ", 1)[1].strip(" )\n")

    monkeypatch.setattr(workspace, "write_atomic", real)  # space freed
    code, stdout, stderr = cli("resume", run_id, "--offline", "-q")
    assert code == 0, stderr
    assert report_of(out)["run_id"] == run_id
    assert (out / "terraform" / "versions.tf").is_file() or list((out / "terraform").glob("*.tf"))


def test_unwritable_output_dir_exit_2_before_any_work(cli, tmp_path):
    code, stdout, stderr = cli("sns topic for alerts", "--offline", "-o", "/sys/infragen-out")
    assert code == 2
    assert_one_line_error(stderr)
    assert "cannot write" in stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through directory permissions")
def test_read_only_output_dir_exit_2(cli, tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    code, _, stderr = cli("sns topic for alerts", "--offline", "-o", str(out), "--force")
    assert code == 2
    assert_one_line_error(stderr)


def test_non_empty_dir_untouched_without_force(cli, tmp_path):
    out = tmp_path / "out"
    (out / "terraform").mkdir(parents=True)
    (out / "terraform" / "main.tf").write_text("# mine\n")
    code, stdout, stderr = cli("sns topic for alerts", "--offline", "-o", str(out))
    assert code == 2
    assert_one_line_error(stderr)
    assert "--force" in stderr
    assert [p.name for p in out.rglob("*")] == ["terraform", "main.tf"]
    assert (out / "terraform" / "main.tf").read_text() == "# mine\n"


def test_ctrl_c_mid_run_exits_130_and_resume_finishes(tmp_path, isolated_state, cli):
    with ChatServer() as server:
        server.scripts = {m: [slow(60)] for m in GROQ_MODELS}
        env = subprocess_env(GROQ_BASE_URL=server.url, INFRAGEN_CATALOGUE_FIRST="false")
        out = tmp_path / "out"
        proc = subprocess.Popen(
            [str(INFRAGEN), "sns topic for alerts", "-o", str(out)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while not server.calls and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert server.calls, proc.communicate()
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert_one_line_error(stderr)
    assert "interrupted" in stderr and "infragen resume" in stderr
    assert_no_key(stdout, stderr, paths=(isolated_state,))
    run_id = stderr.rsplit("infragen resume ", 1)[1].strip(" )\n")
    assert report_of(out)["failed_step"] == "clarifier"

    code, stdout, stderr = cli("resume", run_id, "--offline", "--format", "json")
    assert code in (0, 1), stderr
    assert json.loads(stdout)["run_id"] == run_id
    assert report_of(out)["status"] in ("passed", "failed")
    assert list((out / "terraform").glob("*.tf"))
    assert_no_key(stdout, stderr, paths=(out, isolated_state))

"""Interactive clarification: the clarifier's questions pause the run (a LangGraph interrupt),
the caller's answers shape the spec; without anyone to ask, questions become assumptions."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from infragen.api import generate

REGION_Q = "Which AWS region? (default us-east-1)"
ENGINE_Q = "Which database engine, postgres or mysql? (default postgres)"


def test_answers_to_the_parsers_open_choices_shape_the_project(tmp_path):
    asked: list[list[str]] = []

    def answer(questions: list[str]) -> list[str]:
        asked.append(questions)
        return ["eu-west-1", "mysql"]

    result = generate(
        "create vpc with rds", output_dir=tmp_path / "out", offline=True, answer_questions=answer
    )
    assert asked == [[REGION_Q, ENGINE_Q]]
    assert result.status == "passed", result.report["gates"]
    providers = result.files["terraform/variables.tf"] + result.files["terraform/providers.tf"]
    assert "eu-west-1" in providers
    assert '"mysql"' in "\n".join(result.files.values())
    assert f"You answered: {ENGINE_Q} mysql" in result.report["assumptions"]


def test_empty_answers_keep_the_defaults(tmp_path):
    result = generate(
        "create vpc with rds",
        output_dir=tmp_path / "out",
        offline=True,
        answer_questions=lambda qs: [""] * len(qs),
    )
    assert result.status == "passed"
    assert '"mysql"' not in "\n".join(result.files.values())


def test_without_anyone_to_ask_the_run_never_pauses(tmp_path):
    result = generate("create vpc with rds", output_dir=tmp_path / "out", offline=True)
    assert result.status == "passed"  # no interrupt left hanging: every gate ran
    assert {"validate", "security", "ansible"} <= set(result.gates)


MODEL_SPEC = {"name": "db", "components": [{"kind": "rds", "count": 1, "options": {}}]}


QUESTION = "How many GB of storage?"


BILLING_DB = "a database for the billing team"


def test_model_questions_are_asked_and_answers_sent_back_to_the_clarifier(scripted_run):
    with_question = json.dumps({**MODEL_SPEC, "questions": [QUESTION]})
    answered = json.dumps(
        {**MODEL_SPEC, "components": [{"kind": "rds", "count": 1, "options": {"storage_gb": 100}}]}
    )
    # the node runs again on resume, so its first call is replayed before the answered one
    models, result = scripted_run(
        BILLING_DB,
        [with_question, with_question, answered],
        answer_questions=lambda qs: ["100"] * len(qs),
    )
    last = models.requests["clarifier"][-1]
    assert f"Q: {QUESTION}\nA: 100" in last.messages[1].content
    assert f"You answered: {QUESTION} 100" in result.report["assumptions"]


def test_model_questions_without_a_terminal_become_assumptions(scripted_run):
    with_question = json.dumps({**MODEL_SPEC, "questions": [QUESTION]})
    models, result = scripted_run(BILLING_DB, [with_question])
    assert len(models.requests["clarifier"]) == 1
    assert (
        f"Not asked (non-interactive run), assumed a default: {QUESTION}"
        in result.report["assumptions"]
    )


def read_until(fd: int, needle: bytes, timeout: float = 120) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen


def test_the_cli_asks_on_a_terminal(tmp_path):
    """The real CLI with stdin on a pseudo-terminal prompts, reads the answers and uses them."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "INFRAGEN_ASK": "true"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "infragen", "create vpc with rds", "--offline", "-o", "out"],
        cwd=tmp_path,
        env=env,
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=terminal,
    )
    os.close(terminal)
    try:
        assert b"Which AWS region?" in read_until(controller, b"Which AWS region?")
        os.write(controller, b"eu-west-1\n")
        assert b"database engine" in read_until(controller, b"database engine")
        os.write(controller, b"mysql\n")
        proc.wait(timeout=300)
    finally:
        proc.kill()
        os.close(controller)
    assert proc.returncode == 0
    text = "\n".join(p.read_text() for p in (tmp_path / "out" / "terraform").glob("*.tf"))
    assert "eu-west-1" in text and '"mysql"' in text
    report = json.loads((Path(tmp_path) / "out" / "report.json").read_text())
    assert report["status"] == "passed"


def test_no_input_and_infragen_ask_false_never_prompt_even_on_a_terminal(tmp_path):
    controller, terminal = pty.openpty()
    for flags, env_ask in (["--no-input"], "true"), ([], "false"):
        env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "INFRAGEN_ASK": env_ask}
        out = tmp_path / f"out-{env_ask}"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "infragen",
                "create vpc with rds",
                "--offline",
                "-o",
                str(out),
                *flags,
            ],
            env=env,
            stdin=terminal,
            capture_output=True,
            timeout=300,
        )
        assert proc.returncode == 0 and b"Which AWS region" not in proc.stdout + proc.stderr
    os.close(terminal)
    os.close(controller)

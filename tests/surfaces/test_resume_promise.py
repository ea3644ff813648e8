"""Ctrl-C and `infragen resume`: the message names a run only when a checkpoint exists, and a
resumed run keeps the settings it started with (a cost limit, --offline), so it ends as the
uninterrupted run would have."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from infragen import api
from infragen.cli import app
from infragen.errors import InfragenError, RunInterruptedError
from infragen.settings import RunSettings

REQUEST = "create vpc with rds"
runner = CliRunner()


def interrupt_after(node: str):
    def on_event(name, data):
        if name == "node" and data["node"] == node:
            raise KeyboardInterrupt

    return on_event


def only_run_id(state_dir) -> str:
    with sqlite3.connect(state_dir / "checkpoints.sqlite") as db:
        [(run_id,)] = db.execute("SELECT DISTINCT thread_id FROM checkpoints").fetchall()
    return run_id


def test_a_resumed_run_keeps_its_cost_limit_and_backend(tmp_path, isolated_state, monkeypatch):
    monkeypatch.delenv("INFRAGEN_OFFLINE", raising=False)
    settings = RunSettings(offline=True, max_monthly_cost=1.0)
    whole = api.generate(REQUEST, output_dir=tmp_path / "whole", settings=settings)
    assert whole.exit_code == 1 and whole.gates["cost"]["status"] == "failed"

    out = tmp_path / "out"
    with pytest.raises(RunInterruptedError) as caught:
        api.generate(
            REQUEST, output_dir=out, settings=settings, on_event=interrupt_after("planner")
        )
    run_id = caught.value.one_line().rsplit("infragen resume ", 1)[1].strip(" )")
    # neither --offline nor the cost limit is given again: the checkpoint's settings hold them
    result = runner.invoke(app, ["resume", run_id, "--format", "json"])
    report = json.loads(result.stdout)
    assert result.exit_code == 1, result.output
    assert report["run_id"] == run_id and report["gates"]["cost"]["status"] == "failed"
    assert set(report["usage"]["by_model"]) <= {"offline:blueprints"}
    assert json.loads((out / "report.json").read_text())["status"] == "failed"


def test_what_resume_sets_explicitly_wins(isolated_state):
    from infragen.checkpoints import recall_settings, resumed_settings, stored_settings

    stored = stored_settings(RunSettings(offline=False, max_monthly_cost=5.0, fail_on="HIGH"))
    assert "state_dir" not in stored and "ask" not in stored
    merged = resumed_settings(stored, RunSettings(offline=True))
    assert (merged.offline, merged.max_monthly_cost, merged.fail_on) == (True, 5.0, "HIGH")
    assert resumed_settings(None, RunSettings(offline=True)).max_monthly_cost is None
    assert recall_settings(isolated_state, "0123456789ab") is None


def test_ctrl_c_before_the_first_checkpoint_offers_no_resume(tmp_path, isolated_state, monkeypatch):
    """Ctrl-C while the first checkpoint is being written: nothing can be resumed, and the message
    says how to run it again instead of naming a run `resume` does not know."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    def interrupted_put(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(SqliteSaver, "put", interrupted_put)
    out = tmp_path / "out"
    with pytest.raises(RunInterruptedError) as caught:
        api.generate(REQUEST, output_dir=out, settings=RunSettings(offline=True))
    assert "nothing to resume" in caught.value.message and "--force" in caught.value.hint
    assert "infragen resume" not in caught.value.one_line()
    monkeypatch.undo()

    with sqlite3.connect(isolated_state / "checkpoints.sqlite") as db:
        [(run_id,)] = db.execute("SELECT run_id FROM infragen_runs").fetchall()
    with pytest.raises(InfragenError, match="to resume"):
        api.resume(run_id)
    again = api.generate(REQUEST, output_dir=out, settings=RunSettings(offline=True), force=True)
    assert again.status == "passed"


def test_ctrl_c_after_a_checkpoint_names_the_run_to_resume(tmp_path, isolated_state):
    with pytest.raises(RunInterruptedError) as caught:
        api.generate(
            REQUEST,
            output_dir=tmp_path / "out",
            settings=RunSettings(offline=True),
            on_event=interrupt_after("clarifier"),
        )
    run_id = only_run_id(isolated_state)
    assert f"infragen resume {run_id}" in caught.value.one_line()
    assert api.resume(run_id).status == "passed"

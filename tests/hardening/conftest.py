"""Hardening suite fixtures: a recognisable fake key in the environment, the real CLI in-process
and in a subprocess, and a check that the key never lands in any output, report or state file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "models"))  # fake_chat_server, shared with tests/models

from hardening_support import FAKE_KEY  # noqa: E402


@pytest.fixture(autouse=True)
def fake_key_env(monkeypatch, tmp_path):
    """Every hardening test runs with the fake key set and no user config."""
    monkeypatch.setenv("GROQ_API_KEY", FAKE_KEY)
    monkeypatch.setenv("INFRAGEN_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.chdir(tmp_path)
    return FAKE_KEY


@pytest.fixture(autouse=True)
def baseline_router(monkeypatch):
    """Route with the keyword baseline: loading the embedding model costs seconds per process and
    routing is not what this suite tests (tests/router covers it)."""
    from infragen.router import cascade

    monkeypatch.setitem(cascade._shared, True, cascade.Router(use_embeddings=False))


@pytest.fixture
def cli():
    """The real CLI in-process: returns (exit code, stdout, stderr)."""
    from infragen.cli import app, command_names

    def invoke(*args: str) -> tuple[int, str, str]:
        argv = (
            list(args) if args and args[0] in command_names() else ["generate", *args]
        )  # as main() does
        result = CliRunner().invoke(app, argv)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.stdout, result.stderr

    return invoke


@pytest.fixture
def scripted_cli(monkeypatch, scripted):
    """The real CLI and graph with a scripted model standing in for the configured backends."""

    monkeypatch.setenv("INFRAGEN_CATALOGUE_FIRST", "false")  # every step asks the model

    def use(answers):
        models = scripted(answers)
        monkeypatch.setattr("infragen.api.build_models", lambda *a, **k: models)
        return models

    return use

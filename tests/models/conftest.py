from __future__ import annotations

import pytest
from fake_chat_server import ChatServer

from infragen.models.health import Health


@pytest.fixture
def server():
    with ChatServer() as srv:
        yield srv


@pytest.fixture
def health():
    return Health()


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path):
    """No real keys, config file or state leak into tests."""
    for name in (
        "GROQ_API_KEY",
        "GROQ_API_KEY_SECONDARY",
        "GROQ_BASE_URL",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "MODEL_BACKEND",
        "FORCE_MODEL",
        "INFRAGEN_STATE_DIR",
        "DEFAULT_LIGHTWEIGHT_MODEL",
        "DEFAULT_STANDARD_MODEL",
        "DEFAULT_FAST_MODEL",
        "DEFAULT_REASONING_MODEL",
        "GROQ_API_BASE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INFRAGEN_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # in-process backends never download weights
    monkeypatch.setenv("INFRAGEN_STATE_DIR", str(tmp_path / "state"))

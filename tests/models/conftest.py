from __future__ import annotations

import pytest
from fake_chat_server import ChatServer

from infragen.models.config import ROUTING_ENV
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
        *ROUTING_ENV,
        "GROQ_BASE_URL",
        "GROQ_API_BASE",
        "OPENAI_BASE_URL",
        "INFRAGEN_STATE_DIR",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INFRAGEN_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # in-process backends never download weights
    monkeypatch.setenv("INFRAGEN_STATE_DIR", str(tmp_path / "state"))

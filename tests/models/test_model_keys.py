"""Keys: which key serves which tier, and that no key ever shows up in output."""

from __future__ import annotations

import logging

import pytest
from fake_chat_server import fail
from router_fixtures import FAKE_GROQ_KEY, FAKE_SECONDARY_KEY, ask, registry, router

from infragen.errors import NoBackendError
from infragen.models.config import ModelSettings
from infragen.models.keys import keys_for, mask


def test_secondary_key_serves_lightweight_tier_first():
    s = ModelSettings(groq_api_key=FAKE_GROQ_KEY, groq_api_key_secondary=FAKE_SECONDARY_KEY)
    assert [k.label for k in keys_for("groq", "lightweight", s)] == [
        "GROQ_API_KEY_SECONDARY",
        "GROQ_API_KEY",
    ]
    assert [k.label for k in keys_for("groq", "standard", s)] == ["GROQ_API_KEY"]
    only_primary = ModelSettings(groq_api_key=FAKE_GROQ_KEY)
    assert [k.label for k in keys_for("groq", "lightweight", only_primary)] == ["GROQ_API_KEY"]
    assert keys_for("groq", "standard", ModelSettings()) == []
    assert keys_for("openai", "standard", ModelSettings(openai_base_url="http://x")) == [None]


def test_secondary_key_is_the_one_sent(server, health):
    from fake_chat_server import ok

    server.scripts = {"m": [ok()]}
    r = router(
        server,
        registry(["groq:m"], standard=["groq:m"]),
        health,
        groq_api_key_secondary=FAKE_SECONDARY_KEY,
    )
    r.complete(ask("clarifier"))
    r.complete(ask("architect"))
    assert [c.authorization for c in server.calls] == [
        f"Bearer {FAKE_SECONDARY_KEY}",
        f"Bearer {FAKE_GROQ_KEY}",
    ]


def test_mask_hides_known_and_key_shaped_secrets():
    ModelSettings(groq_api_key=FAKE_GROQ_KEY)  # settings alone do not register the key
    keys_for("groq", "standard", ModelSettings(groq_api_key=FAKE_GROQ_KEY))
    assert FAKE_GROQ_KEY not in mask(f"bad key {FAKE_GROQ_KEY}!")
    assert "sk-abcdefghijklmnop123" not in mask(
        "Incorrect API key provided: sk-abcdefghijklmnop123"
    )
    assert FAKE_GROQ_KEY not in repr(ModelSettings(groq_api_key=FAKE_GROQ_KEY))


def test_rejected_key_never_reaches_logs_or_errors(server, health, caplog):
    server.scripts = {"m": [fail(401, "invalid_api_key", f"Invalid API Key: {FAKE_GROQ_KEY}")]}
    r = router(server, registry(["groq:m", "groq:n"]), health, offline_fallback=False)
    with (
        caplog.at_level(logging.DEBUG, logger="infragen.models"),
        pytest.raises(NoBackendError) as caught,
    ):
        r.complete(ask())
    text = caught.value.one_line() + caplog.text + str(caught.value)
    assert "401" in text and "RetiredKey" in text  # the second model skipped the retired key
    assert FAKE_GROQ_KEY not in text
    assert FAKE_GROQ_KEY[4:20] not in text
    assert server.models_called() == ["m"]

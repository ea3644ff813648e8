"""The router drives the real ChatGroq and ChatOpenAI clients at a local server that fails like Groq."""

from __future__ import annotations

import time

import pytest
from fake_chat_server import fail, ok, slow
from router_fixtures import FAKE_GROQ_KEY, LocalAnswers, ask, registry, router

from infragen.errors import NoBackendError


def test_decommissioned_model_falls_to_next_and_is_retired(server, health):
    server.scripts = {
        "old-8b": [fail(400, "model_decommissioned", "The model `old-8b` has been decommissioned")],
        "new-8b": [ok("hello")],
    }
    r = router(server, registry(["groq:old-8b", "groq:new-8b"]), health)
    first = r.complete(ask())
    assert (first.content, first.model_used, first.backend) == ("hello", "new-8b", "groq")
    assert [(a.model, a.outcome, a.status) for a in first.attempts] == [
        ("old-8b", "error", 400),
        ("new-8b", "ok", None),
    ]
    second = r.complete(ask(text="another"))
    assert second.model_used == "new-8b"
    assert server.models_called() == ["old-8b", "new-8b", "new-8b"]  # retired: never called again
    assert second.attempts[0].outcome == "skipped" and second.attempts[0].error_class == "Retired"


def test_unknown_model_404_is_retired(server, health):
    server.scripts = {"good": [ok()]}  # 'ghost' gets the server's default 404 model_not_found
    r = router(server, registry(["groq:ghost", "groq:good"]), health)
    r.complete(ask())
    r.complete(ask(text="again"))
    assert server.models_called().count("ghost") == 1


def test_429_retry_after_waits_then_succeeds(server, health):
    server.scripts = {
        "busy": [fail(429, "rate_limit_exceeded", headers={"retry-after": "1"}), ok("after wait")]
    }
    r = router(server, registry(["groq:busy"]), health)
    started = time.monotonic()
    reply = r.complete(ask())
    assert reply.content == "after wait" and reply.model_used == "busy"
    calls = [c.at for c in server.calls]
    assert calls[1] - calls[0] >= 0.95  # honoured the header on a real clock
    assert time.monotonic() - started < 5


def test_429_longer_than_deadline_moves_on_without_waiting(server, health):
    server.scripts = {"busy": [fail(429, headers={"retry-after": "30"})], "spare": [ok("spare")]}
    r = router(server, registry(["groq:busy", "groq:spare"]), health, task_deadline_s=5)
    started = time.monotonic()
    assert r.complete(ask()).model_used == "spare"
    assert time.monotonic() - started < 3


def test_daily_limit_parks_key_and_model(server, health):
    message = "Rate limit reached for model `day` on tokens per day (TPD): Limit 500000. Please try again in 7m12s."
    server.scripts = {"day": [fail(429, "rate_limit_exceeded", message)], "other": [ok()]}
    r = router(server, registry(["groq:day", "groq:other"]), health)
    r.complete(ask())
    r.complete(ask(text="second"))
    assert server.models_called() == ["day", "other", "other"]


def test_413_skips_model_for_this_request_only(server, health):
    server.scripts = {
        "small": [fail(413, message="Request too large"), ok("small ok")],
        "big": [ok("big")],
    }
    r = router(server, registry(["groq:small", "groq:big"]), health)
    assert r.complete(ask()).model_used == "big"
    assert r.complete(ask(text="short")).model_used == "small"  # not retired


def test_5xx_retries_with_backoff_then_falls_back(server, health):
    server.scripts = {"flaky": [fail(503)], "steady": [ok()]}
    slept: list[float] = []
    r = router(server, registry(["groq:flaky", "groq:steady"]), health, transient_retries=2)
    r._sleep = slept.append
    assert r.complete(ask()).model_used == "steady"
    assert server.models_called() == ["flaky"] * 3 + ["steady"]
    assert slept == [0.25, 0.5]


def test_timeout_falls_back(server, health):
    server.scripts = {"sleepy": [slow(3)], "awake": [ok("awake")]}
    r = router(server, registry(["groq:sleepy", "groq:awake"]), health, request_timeout_s=0.5)
    reply = r.complete(ask())
    assert reply.content == "awake"
    assert reply.attempts[0].error_class == "transient" and "Timeout" in reply.attempts[0].detail


def test_all_failing_falls_back_to_offline(server, health):
    server.scripts = {"a": [fail(500)], "b": [fail(413)]}
    offline = LocalAnswers()
    r = router(server, registry(["groq:a"], fallback=["groq:b"]), health, offline=offline)
    reply = r.complete(ask())
    assert (reply.backend, reply.content) == ("offline", "offline:clarifier")
    assert [a.model for a in reply.attempts] == ["a", "b", "blueprints"]


def test_all_failing_without_offline_lists_every_attempt(server, health):
    server.scripts = {"a": [fail(500)], "b": [fail(400, "model_decommissioned")]}
    r = router(server, registry(["groq:a"], fallback=["openai:b"]), health, offline_fallback=False)
    with pytest.raises(NoBackendError) as caught:
        r.complete(ask())
    text = caught.value.message
    assert "groq:a error transient status=500" in text
    assert "openai:b error permanent status=400" in text
    assert FAKE_GROQ_KEY not in text and caught.value.exit_code == 3


def test_offline_failure_is_listed_too(server, health):
    r = router(None, registry([]), health, offline=LocalAnswers(fail=True))
    with pytest.raises(NoBackendError, match="offline:blueprints error unsupported"):
        r.complete(ask())


def test_openai_compatible_server_and_ratelimit_headers(server, health, tmp_path):
    from infragen.models.ledger import Ledger

    server.scripts = {"local-model": [ok("from local server")]}
    r = router(server, registry(["openai:local-model"]), health)
    r.ledger = Ledger(tmp_path / "ledger.sqlite3")
    reply = r.complete(ask())
    assert (reply.backend, reply.content, reply.usage.total_tokens) == (
        "openai",
        "from local server",
        18,
    )
    assert server.calls[0].path == "/v1/chat/completions"
    assert server.calls[0].authorization == "Bearer not-needed"
    assert reply.rate_limits == {"x-ratelimit-remaining-tokens": "5999"}
    [row] = r.ledger.rows()
    assert '"x-ratelimit-remaining-tokens": "5999"' in row["rate_limits"]


def test_sdk_retries_are_disabled(server, health):
    server.scripts = {"m": [fail(500)]}
    r = router(server, registry(["groq:m"]), health)
    r.complete(ask())
    assert server.models_called() == ["m"]  # one HTTP call: the SDK did not retry on its own

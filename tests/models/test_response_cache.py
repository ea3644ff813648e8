"""The response cache replays identical calls for free; the ledger still sees them."""

from __future__ import annotations

from fake_chat_server import ok
from router_fixtures import FAKE_GROQ_KEY, LocalAnswers, ask, registry, router

from infragen.models.cache import ResponseCache
from infragen.models.config import ModelSettings
from infragen.models.ledger import Ledger
from infragen.models.router import ModelRouter
from infragen.models.usage import usage_today


def cached_router(server, health, tmp_path, **settings):
    r = router(server, registry(["groq:m"]), health, **settings)
    r.ledger = Ledger(tmp_path / "ledger.sqlite3")
    r.cache = ResponseCache(tmp_path / "cache.sqlite3")
    return r


def test_same_request_replays_with_zero_tokens(server, health, tmp_path):
    server.scripts = {"m": [ok("first answer"), ok("second answer")]}
    r = cached_router(server, health, tmp_path)
    first = r.complete(ask())
    again = r.complete(ask())
    assert (first.cached, again.cached) == (False, True)
    assert again.content == "first answer" and again.usage.total_tokens == 0
    assert len(server.calls) == 1
    assert r.complete(ask(max_tokens=65)).content == "second answer"  # params are in the key
    statuses = [row["status"] for row in r.ledger.rows()]
    assert statuses == ["done", "cached", "done"]


def test_cache_can_be_bypassed(server, health, tmp_path):
    server.scripts = {"m": [ok()]}
    r = cached_router(server, health, tmp_path)
    r.complete(ask())
    r.cache = None  # what ModelRouter.from_settings(use_cache=False) builds
    assert r.complete(ask()).cached is False
    assert len(server.calls) == 2


def test_from_settings_honours_the_cache_flag(tmp_path):
    on = ModelSettings(state_dir=tmp_path)
    assert ModelRouter.from_settings(on).cache is not None
    assert ModelRouter.from_settings(on, use_cache=False).cache is None
    assert (
        ModelRouter.from_settings(ModelSettings(state_dir=tmp_path, cache_enabled=False)).cache
        is None
    )


def test_offline_answers_are_free_and_cached(health, tmp_path):
    offline = LocalAnswers()
    r = router(None, registry([]), health, offline=offline)
    r.ledger = Ledger(tmp_path / "ledger.sqlite3")
    r.cache = ResponseCache(tmp_path / "cache.sqlite3")
    assert r.complete(ask()).usage.total_tokens == 0
    assert r.complete(ask()).cached is True
    assert offline.calls == 1
    summary = usage_today(ModelSettings(state_dir=tmp_path), r.ledger)
    [free] = summary.free
    assert (free.backend, free.requests, free.cached, free.prompt_tokens) == ("offline", 2, 1, 0)


def test_usage_today_per_key_and_model(server, health, tmp_path):
    server.scripts = {"m": [ok()]}
    r = cached_router(server, health, tmp_path, daily_budget_tokens=10_000)
    r.complete(ask())
    r.complete(ask(text="other"))
    settings = ModelSettings(groq_api_key=FAKE_GROQ_KEY, daily_budget_tokens=10_000)
    summary = usage_today(settings, r.ledger)
    [key] = summary.keys
    assert (key.key_label, key.budget, key.used, key.remaining) == (
        "GROQ_API_KEY",
        10_000,
        36,
        9_964,
    )
    assert key.fits == {"small (1k)": 9, "medium (4k)": 2, "large (8k)": 1}
    [model] = key.models
    assert (model.model, model.requests, model.prompt_tokens, model.completion_tokens) == (
        "m",
        2,
        22,
        14,
    )
    assert FAKE_GROQ_KEY not in summary.model_dump_json()

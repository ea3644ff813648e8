"""Tiers mean what the report says: the router asks the requested tier first, stands the task's
own tier behind it, and names the tier of the model that really answered."""

from __future__ import annotations

from fake_chat_server import ok
from router_fixtures import ask, registry, router


def test_a_requested_lightweight_tier_is_asked_first_then_the_tasks_own(server, health):
    server.scripts = {"small": [ok("from small")], "big": [ok("from big")]}
    r = router(server, registry(["groq:small"], standard=["groq:big"]), health)
    light = r.complete(ask(task="architect", tier="lightweight"))
    assert (light.model_used, light.tier) == ("small", "lightweight")
    standard = r.complete(ask(task="architect", text="again"))
    assert (standard.model_used, standard.tier) == ("big", "standard")


def test_a_failing_lightweight_model_escalates_to_the_standard_tier(server, health):
    server.scripts = {"big": [ok("from big")]}  # 'small' answers 404 model_not_found
    r = router(server, registry(["groq:small"], standard=["groq:big"]), health)
    reply = r.complete(ask(task="architect", tier="lightweight"))
    assert (reply.model_used, reply.tier) == ("big", "standard")
    assert server.models_called() == ["small", "big"]


def test_excluded_models_are_not_asked(server, health):
    server.scripts = {"small": [ok("small")], "other": [ok("other")]}
    r = router(server, registry(["groq:small", "groq:other"]), health)
    reply = r.complete(ask(task="clarifier").model_copy(update={"exclude": ["groq:small"]}))
    assert reply.model_used == "other" and server.models_called() == ["other"]

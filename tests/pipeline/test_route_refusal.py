"""The router refuses a request before any model call only when it is sure; a doubtful
out-of-scope verdict goes on to the clarifier model, which reads the request itself."""

from __future__ import annotations

import json

import pytest

from infragen.nodes import clarify
from infragen.router import Route

SPEC = json.dumps({"name": "mail", "components": [{"kind": "s3", "count": 1, "options": {}}]})


def routed_as(monkeypatch, confidence: float) -> None:
    verdict = Route.of("out_of_scope", confidence, "embedding: out_of_scope", "embedding")
    monkeypatch.setattr(clarify, "classify", lambda request, offline: verdict.model_dump())


def run(scripted_run):
    return scripted_run("send customers an email receipt after checkout", [SPEC])


def test_a_sure_out_of_scope_verdict_refuses_before_any_model_call(monkeypatch, scripted_run):
    routed_as(monkeypatch, clarify.REFUSE_AT)
    models, result = run(scripted_run)
    assert result.status == "refused"
    assert not models.requests  # no token spent
    assert "say what to create" in result.report["refusal"]


@pytest.mark.parametrize("confidence", [0.4, clarify.REFUSE_AT - 0.01])
def test_a_doubtful_out_of_scope_verdict_lets_the_clarifier_read_it(
    monkeypatch, scripted_run, confidence
):
    routed_as(monkeypatch, confidence)
    models, result = run(scripted_run)
    assert result.status != "refused"
    assert len(models.requests["clarifier"]) == 1
    assert result.report["route"]["class"] == "out_of_scope"

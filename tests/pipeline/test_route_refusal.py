"""The router refuses a request before any model call only when it is sure; a doubtful
out-of-scope verdict goes on to the clarifier model, which reads the request itself."""

from __future__ import annotations

import json

import pytest

from infragen.api import generate
from infragen.nodes import clarify
from infragen.router import Route
from infragen.settings import RunSettings

SPEC = json.dumps({"name": "mail", "components": [{"kind": "s3", "count": 1, "options": {}}]})


def routed_as(monkeypatch, confidence: float) -> None:
    verdict = Route.of("out_of_scope", confidence, "embedding: out_of_scope", "embedding")
    monkeypatch.setattr(clarify, "classify", lambda request, offline: verdict.model_dump())


def run(scripted, tmp_path):
    models = scripted(
        {
            "clarifier": [SPEC],
            "planner": ["{}"],
            "architect": ["<<<FILE terraform/main.tf>>>\n<<<END>>>"],
            "ansible": [""],
        }
    )
    result = generate(
        "send customers an email receipt after checkout",
        output_dir=tmp_path / "out",
        models=models,
        settings=RunSettings(catalogue_first=False, max_retries=1),
    )
    return models, result


def test_a_sure_out_of_scope_verdict_refuses_before_any_model_call(monkeypatch, scripted, tmp_path):
    routed_as(monkeypatch, clarify.REFUSE_AT)
    models, result = run(scripted, tmp_path)
    assert result.status == "refused"
    assert not models.requests  # no token spent
    assert "say what to create" in result.report["refusal"]


@pytest.mark.parametrize("confidence", [0.4, clarify.REFUSE_AT - 0.01])
def test_a_doubtful_out_of_scope_verdict_lets_the_clarifier_read_it(
    monkeypatch, scripted, tmp_path, confidence
):
    routed_as(monkeypatch, confidence)
    models, result = run(scripted, tmp_path)
    assert result.status != "refused"
    assert len(models.requests["clarifier"]) == 1
    assert result.report["route"]["class"] == "out_of_scope"

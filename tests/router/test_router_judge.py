"""The optional LLM judge (`infragen route --judge`): what it asks, when, and what it does with
the answer; the CLI flag drives the real Groq client at a local chat-completions server."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infragen.router import Route, Router
from infragen.router.judge import model_judge

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
from fake_chat_server import ChatServer, ok  # noqa: E402

UNSURE = Route.of("uncertain", 0.41, "embedding: unsure", "embedding")
VERDICT = '{"class": "standard", "confidence": 0.7, "reason": "an endpoint, a function, a table"}'


def test_judge_reads_the_models_verdict(scripted):
    models = scripted({"route_judge": [f"Sure! {VERDICT}"]})
    verdict = model_judge(models)("contact form backend", UNSURE)
    assert (verdict.klass, verdict.tier, verdict.confidence, verdict.stage) == (
        "standard",
        "standard",
        0.7,
        "judge",
    )
    assert verdict.reason == "judge (scripted-model): an endpoint, a function, a table"
    [request] = models.requests["route_judge"]
    assert request.messages[1].content == "contact form backend"
    assert "embedding: unsure" in request.messages[0].content


@pytest.mark.parametrize("answer", ["no idea", '{"class": "medium"}', '{"reason": "x"}'])
def test_an_answer_without_a_known_class_keeps_the_cascades_route(scripted, answer):
    models = scripted({"route_judge": [answer]})
    assert model_judge(models)("contact form backend", UNSURE) is None


def test_judge_sees_only_routes_under_its_threshold(scripted):
    models = scripted({"route_judge": [VERDICT]})
    router = Router(use_embeddings=False, judge=model_judge(models), judge_below=0.8)
    sure, unsure = router.route_many(
        ["destroy all my databases", "a vpc and two subnets for the lab"]
    )
    assert (sure.klass, sure.stage) == ("out_of_scope", "baseline")  # 0.9: not asked
    assert (unsure.klass, unsure.stage) == ("standard", "judge")  # baseline 0.6: asked
    assert [r.messages[1].content for r in models.requests["route_judge"]] == [
        "a vpc and two subnets for the lab"
    ]


def test_offline_the_keyword_rules_answer_for_the_judge(monkeypatch, tmp_path):
    from infragen.context import build_models
    from infragen.settings import RunSettings

    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    monkeypatch.setenv("INFRAGEN_STATE_DIR", str(tmp_path))
    verdict = model_judge(build_models(RunSettings(offline=True)))("an s3 bucket", UNSURE)
    assert (verdict.klass, verdict.stage) == ("simple", "judge")
    assert verdict.reason.startswith("judge (blueprints): baseline: names only s3")


def test_route_judge_flag_asks_the_lightweight_model_over_http(monkeypatch, tmp_path):
    from infragen.cli import app

    with ChatServer() as server:
        server.scripts = {"llama-3.1-8b-instant": [ok(VERDICT)]}
        for name, value in {
            "GROQ_API_KEY": "gsk_fake_judge_key_0123456789",
            "GROQ_BASE_URL": server.url,
            "MODEL_OFFLINE_FALLBACK": "false",
            "MODEL_RETRIES": "0",
            "INFRAGEN_STATE_DIR": str(tmp_path / "state"),
            "INFRAGEN_CONFIG": str(tmp_path / "none.toml"),
        }.items():
            monkeypatch.setenv(name, value)
        args = ["route", "--baseline", "--judge", "--judge-below", "1.01", "--format", "json"]
        result = CliRunner().invoke(app, [*args, "contact form backend with a table"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["class"] == "standard"
    assert record["reason"].startswith("judge (llama-3.1-8b-instant):")
    [call] = server.calls
    assert call.model == "llama-3.1-8b-instant"
    assert call.body["messages"][-1]["content"] == "contact form backend with a table"
    assert "gsk_fake_judge_key" not in result.output

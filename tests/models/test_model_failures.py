"""Classifying SDK errors and reading Groq's retry durations."""

from __future__ import annotations

import httpx
import pytest

from infragen.models.failures import classify, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("7", 7.0),
        ("0.5", 0.5),
        ("2m52.8s", 172.8),
        ("1h0m3s", 3603.0),
        ("200ms", 0.2),
        ("7.66s", 7.66),
        ("soon", None),
        ("", None),
    ],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == (pytest.approx(seconds) if seconds is not None else None)


def sdk_error(status: int, code: str = "", message: str = "boom", headers: dict | None = None):
    import groq

    request = httpx.Request("POST", "http://127.0.0.1/openai/v1/chat/completions")
    response = httpx.Response(status, headers=headers or {}, request=request)
    body = {"error": {"message": message, "code": code}}
    return groq.APIStatusError(message, response=response, body=body["error"])


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (sdk_error(400, "model_decommissioned"), "permanent"),
        (sdk_error(404, "model_not_found"), "permanent"),
        (sdk_error(401, "invalid_api_key"), "permanent"),
        (sdk_error(413), "too_large"),
        (sdk_error(400, "context_length_exceeded"), "too_large"),
        (sdk_error(429, headers={"retry-after": "3"}), "rate_limited"),
        (sdk_error(429, message="Limit on tokens per day (TPD) reached"), "daily_limit"),
        (sdk_error(503), "transient"),
        (sdk_error(498), "transient"),
        (sdk_error(422), "unsupported"),
        (httpx.ReadTimeout("slow"), "transient"),
        (ValueError("bad reply"), "unsupported"),
    ],
)
def test_classify(error, kind):
    assert classify(error).kind == kind


def test_retry_after_from_header_or_message():
    assert classify(sdk_error(429, headers={"retry-after": "3"})).retry_after == 3.0
    late = sdk_error(429, message="Rate limit reached. Please try again in 1m2.5s.")
    assert classify(late).retry_after == pytest.approx(62.5)

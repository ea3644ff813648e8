"""Turn SDK exceptions (groq, openai, httpx) into `BackendCallError` kinds the router acts on.

Both SDKs raise the same shapes (`status_code`, `response.headers`, `body`), so this reads them by
attribute and imports neither SDK.
"""

from __future__ import annotations

import re
from typing import Any

from infragen.models.base import BackendCallError
from infragen.models.keys import mask

_DURATION = re.compile(
    r"(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$"
)
_PERMANENT_CODES = {"model_decommissioned", "model_not_found", "invalid_api_key"}


def parse_duration(text: str | None) -> float | None:
    """'7', '7.5', '2m52.8s', '1h0m3s', '200ms' -> seconds; None when unreadable."""
    if not text:
        return None
    text = text.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    match = _DURATION.match(text)
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds, millis = (float(g) if g else 0.0 for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def _error_body(exc: Any) -> dict:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        return inner if isinstance(inner, dict) else {"message": str(inner)}
    return {}


def _retry_after(headers: Any, message: str) -> float | None:
    if headers is not None:
        for name in ("retry-after", "x-ratelimit-reset-tokens", "x-ratelimit-reset-requests"):
            seconds = parse_duration(headers.get(name))
            if seconds is not None:
                return seconds
    found = re.search(r"try again in ([0-9hms.]+)", message)
    return parse_duration(found.group(1).rstrip(".")) if found else None


def _is_network_failure(exc: BaseException) -> bool:
    if isinstance(exc, (TimeoutError, ConnectionError)):
        return True
    names = [cls.__name__ for cls in type(exc).__mro__]
    return any(
        w in n for n in names for w in ("Timeout", "Connection", "Transport", "NetworkError")
    )


def classify(exc: BaseException) -> BackendCallError:
    """Map any exception from a backend call to a `BackendCallError` with a masked message."""
    if isinstance(exc, BackendCallError):
        return exc
    status = getattr(exc, "status_code", None)
    body = _error_body(exc)
    code = str(body.get("code") or "")
    message = mask(str(body.get("message") or exc))
    label = f"{type(exc).__name__}: {message}"
    if status is None:
        # Timeouts and connection failures deserve a short retry; any other error (a bug, a reply
        # the backend could not read) is not retried but still moves on down the chain.
        kind = "transient" if _is_network_failure(exc) else "unsupported"
        return BackendCallError(kind, label)
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if status == 429:
        per_day = re.search(r"per day|\(TPD\)|\(RPD\)", message, re.IGNORECASE)
        kind = "daily_limit" if per_day else "rate_limited"
        return BackendCallError(kind, label, status, _retry_after(headers, message))
    if status == 413 or code == "context_length_exceeded":
        return BackendCallError("too_large", label, status)
    if status in (401, 403, 404) or code in _PERMANENT_CODES:
        return BackendCallError("permanent", label, status)
    if status >= 500 or status in (408, 498):
        return BackendCallError("transient", label, status)
    return BackendCallError("unsupported", label, status)

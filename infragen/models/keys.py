"""API keys: which key serves which tier, short ids for the ledger, and masking for output.

A key's value never leaves this module except into an SDK client: logs, ledgers, reports and
exception messages see its `key_id` (a short hash) and the env var name it came from.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading

from pydantic import BaseModel, SecretStr

from infragen.models.config import ModelSettings

log = logging.getLogger("infragen.models")

_known_secrets: set[str] = set()
_lock = threading.Lock()


class ApiKey(BaseModel, frozen=True):
    label: str  # the env var it came from, e.g. GROQ_API_KEY_SECONDARY
    secret: SecretStr

    @property
    def key_id(self) -> str:
        return key_id(self.secret.get_secret_value())


def key_id(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:10]


def remember_secret(secret: str) -> None:
    if secret:
        with _lock:
            _known_secrets.add(secret)


def mask(text: str) -> str:
    """Replace every known key, and anything shaped like a Groq/OpenAI key, by its key id."""
    with _lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, f"<key {key_id(secret)}>")
    return re.sub(
        r"\b(gsk|sk)[-_][A-Za-z0-9_-]{12,}", lambda m: f"<key {key_id(m.group(0))}>", text
    )


def _key(label: str, value: SecretStr | None) -> ApiKey | None:
    if value is None or not value.get_secret_value():
        return None
    remember_secret(value.get_secret_value())
    return ApiKey(label=label, secret=value)


def keys_for(backend: str, tier: str, settings: ModelSettings) -> list[ApiKey | None]:
    """Keys to try, in order, for one backend and tier; `[None]` for keyless backends.

    Groq: the secondary key serves the lightweight tier when set (so small, frequent calls do not
    eat the primary key's daily budget), and the primary key stands behind it.
    An empty list means the backend needs a key and has none.
    """
    if backend == "groq":
        primary = _key("GROQ_API_KEY", settings.groq_api_key)
        secondary = _key("GROQ_API_KEY_SECONDARY", settings.groq_api_key_secondary)
        if tier == "lightweight" and secondary:
            log.debug("lightweight tier served by GROQ_API_KEY_SECONDARY, then GROQ_API_KEY")
            return [k for k in (secondary, primary) if k]
        log.debug("%s tier served by GROQ_API_KEY", tier)
        return [primary] if primary else []
    if backend == "openai":
        key = _key("OPENAI_API_KEY", settings.openai_api_key)
        if key:
            return [key]
        # Local OpenAI-compatible servers (llama.cpp, vLLM, Ollama) need no key.
        return [None] if settings.openai_base_url else []
    return [None]

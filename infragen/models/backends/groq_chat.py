"""Groq through langchain-groq's ChatGroq; `GROQ_BASE_URL` points it at another server."""

from __future__ import annotations

from typing import Any

from infragen.errors import ConfigError
from infragen.models.backends.langchain_chat import LangChainChatBackend
from infragen.models.config import ModelSettings
from infragen.models.keys import ApiKey


class GroqBackend(LangChainChatBackend):
    name = "groq"

    @classmethod
    def from_settings(cls, settings: ModelSettings, key: ApiKey | None) -> GroqBackend:
        if key is None:
            raise ConfigError("the groq backend needs an API key", "set GROQ_API_KEY")
        return cls(key, settings.groq_base_url, settings.request_timeout_s)

    def _make_chat(self, model: str, http_client: Any) -> Any:
        from langchain_groq import ChatGroq

        return ChatGroq(
            model=model,
            api_key=self.key.secret,
            base_url=self.base_url,
            timeout=self.timeout_s,
            max_retries=0,
            http_client=http_client,
        )

"""Any OpenAI-compatible server (OpenAI, llama.cpp server, vLLM, Ollama) through ChatOpenAI."""

from __future__ import annotations

from typing import Any

from infragen.errors import ConfigError
from infragen.models.backends.langchain_chat import LangChainChatBackend
from infragen.models.config import ModelSettings
from infragen.models.keys import ApiKey

# Local servers ignore the key, but the OpenAI client refuses to start without one.
_LOCAL_PLACEHOLDER_KEY = "not-needed"


class OpenAIBackend(LangChainChatBackend):
    name = "openai"

    @classmethod
    def from_settings(cls, settings: ModelSettings, key: ApiKey | None) -> OpenAIBackend:
        if key is None and not settings.openai_base_url:
            raise ConfigError(
                "the openai backend needs OPENAI_API_KEY or OPENAI_BASE_URL",
                "set OPENAI_BASE_URL to a local server (llama.cpp, vLLM, Ollama) or OPENAI_API_KEY",
            )
        return cls(key, settings.openai_base_url, settings.request_timeout_s)

    def _make_chat(self, model: str, http_client: Any) -> Any:
        from langchain_openai import ChatOpenAI

        secret = self.key.secret if self.key else _LOCAL_PLACEHOLDER_KEY
        return ChatOpenAI(
            model=model,
            api_key=secret,
            base_url=self.base_url,
            timeout=self.timeout_s,
            max_retries=0,
            http_client=http_client,
        )

"""Chat backends built on LangChain chat models (ChatGroq, ChatOpenAI), sharing one call path.

The SDKs' own retries are off (`max_retries=0`): the router owns retry and fallback policy.
An httpx event hook records each reply's `x-ratelimit-*` headers for the token ledger.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from infragen.models.base import ChatRequest, ChatResponse, Message, TokenUsage
from infragen.models.failures import classify
from infragen.models.keys import ApiKey


def to_langchain(messages: list[Message]) -> list[Any]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m.role](content=m.content) for m in messages]


class LangChainChatBackend:
    """Subclasses set `name` and build the LangChain chat model in `_make_chat`."""

    name = ""

    def __init__(self, key: ApiKey | None, base_url: str | None, timeout_s: float) -> None:
        self.key = key
        self.key_id = key.key_id if key else ""
        self.base_url = base_url
        self.timeout_s = timeout_s
        self._chats: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._seen = threading.local()
        self._http: Any = None

    def _make_chat(self, model: str, http_client: Any) -> Any:
        raise NotImplementedError

    def _record_headers(self, response: Any) -> None:
        self._seen.headers = {
            k.lower(): v for k, v in response.headers.items() if k.lower().startswith("x-ratelimit")
        }

    def _chat(self, model: str) -> Any:
        with self._lock:
            if self._http is None:
                import httpx

                self._http = httpx.Client(event_hooks={"response": [self._record_headers]})
            if model not in self._chats:
                self._chats[model] = self._make_chat(model, self._http)
            return self._chats[model]

    def complete(self, model: str, request: ChatRequest) -> ChatResponse:
        chat = self._chat(model)
        self._seen.headers = {}
        started = time.perf_counter()
        try:
            reply = chat.invoke(
                to_langchain(request.messages),
                max_tokens=request.max_tokens,
                temperature=request.temperature,
            )
        except Exception as exc:  # every SDK failure becomes a classified BackendCallError
            raise classify(exc) from None
        usage = reply.usage_metadata or {}
        metadata = reply.response_metadata or {}
        return ChatResponse(
            content=reply.text,
            model_used=model,
            backend=self.name,
            usage=TokenUsage(
                prompt_tokens=usage.get("input_tokens", 0),
                completion_tokens=usage.get("output_tokens", 0),
                total_tokens=usage.get("total_tokens", 0),
            ),
            latency_s=time.perf_counter() - started,
            finish_reason=str(metadata.get("finish_reason") or ""),
            key_id=self.key_id,
            rate_limits=dict(self._seen.headers),
        )

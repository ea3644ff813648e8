"""In-process Hugging Face models through `transformers` (optional; weights must be local).

A model name is a local directory or a model id already in the local Hugging Face cache:
nothing is downloaded at run time (`local_files_only=True`).
"""

from __future__ import annotations

import time
from typing import Any

from infragen.errors import ConfigError
from infragen.models.backends.loaded import LoadedModels
from infragen.models.base import BackendCallError, ChatRequest, ChatResponse, TokenUsage
from infragen.models.config import ModelSettings


class TransformersBackend:
    name = "transformers"

    def __init__(self, settings: ModelSettings) -> None:
        try:
            import transformers  # noqa: F401
        except ImportError as exc:
            raise ConfigError(
                "transformers is not installed", "pip install transformers torch"
            ) from exc
        self.settings = settings
        self.models = LoadedModels(settings.model_max_loaded, self._load)

    @classmethod
    def from_settings(cls, settings: ModelSettings, key: Any = None) -> TransformersBackend:
        return cls(settings)

    def _load(self, name: str) -> Any:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        path = str(self.settings.local_model_path(name) or name)
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(path, local_files_only=True)
        return tokenizer, model

    def complete(self, model: str, request: ChatRequest) -> ChatResponse:
        try:
            tokenizer, llm = self.models.get(model)
        except OSError as exc:  # not on disk / not in the local cache
            raise BackendCallError("permanent", f"{type(exc).__name__}: {exc}") from None
        started = time.perf_counter()
        inputs = tokenizer.apply_chat_template(
            [m.model_dump() for m in request.messages],
            add_generation_prompt=True,
            return_tensors="pt",
            return_dict=True,
        )
        sampling = {"do_sample": True, "temperature": request.temperature}
        output = llm.generate(
            **inputs,
            max_new_tokens=request.max_tokens,
            **(sampling if request.temperature > 0 else {"do_sample": False}),
        )
        prompt_len = inputs["input_ids"].shape[-1]
        new_tokens = output[0][prompt_len:]
        return ChatResponse(
            content=tokenizer.decode(new_tokens, skip_special_tokens=True),
            model_used=model,
            backend=self.name,
            usage=TokenUsage(
                prompt_tokens=int(prompt_len),
                completion_tokens=int(len(new_tokens)),
                total_tokens=int(prompt_len + len(new_tokens)),
            ),
            latency_s=time.perf_counter() - started,
        )

"""In-process GGUF models through llama-cpp-python (the optional `llama-cpp` extra).

A model name is an alias resolved by `MODEL_<ALIAS>_PATH` (MODEL_7B_PATH, MODEL_1B_PATH), the
registry's [local_models] table ("pkg:<module>" finds a .gguf shipped in a Python package), or a
path to a .gguf file (see gguf_files). Models load on first use (or at start-up with
MODEL_PRELOAD), at most MODEL_MAX_LOADED at a time. Context size, threads and GPU layers come from
LLAMA_N_CTX, LLAMA_N_THREADS and LLAMA_N_GPU_LAYERS. Prompts are rendered with the chat template
stored in the GGUF file, so each model gets the turn markers it was trained on.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from infragen.errors import ConfigError
from infragen.models.backends.gguf_files import chat_template, gguf_in_package, resolve_model_path
from infragen.models.backends.loaded import InProcessBackend
from infragen.models.base import BackendCallError, ChatRequest, ChatResponse, TokenUsage

__all__ = ["LlamaCppBackend", "gguf_in_package", "resolve_model_path"]
log = logging.getLogger("infragen.models")


class LlamaCppBackend(InProcessBackend):
    name = "llama_cpp"
    library = "llama_cpp"
    install_hint = "pip install 'infragen-iac[llama-cpp]'"

    def locate(self, name: str) -> Path:
        path = resolve_model_path(name, self.settings, self.local_models)
        if not path.is_file():
            raise ConfigError(f"{path} is not a GGUF file", f"point the path for {name!r} at one")
        return path

    def _load(self, name: str) -> Any:
        from llama_cpp import Llama

        path = self.locate(name)
        try:
            llm = Llama(
                model_path=str(path),
                n_ctx=self.settings.llama_n_ctx,
                n_threads=self.settings.llama_n_threads,
                n_gpu_layers=self.settings.llama_n_gpu_layers,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:  # not a GGUF, unknown architecture, no memory
            raise ConfigError(
                f"llama.cpp cannot load {path}: {exc}", "check the file and LLAMA_N_CTX"
            ) from exc
        if "tokenizer.chat_template" not in llm.metadata:
            use_packaged_chat_template(llm, name)
        return llm

    def complete(self, model: str, request: ChatRequest) -> ChatResponse:
        llm = self.loaded_model(model)
        started = time.perf_counter()
        try:
            with self._generating:
                reply = llm.create_chat_completion(
                    messages=[m.model_dump() for m in request.messages],
                    max_tokens=request.max_tokens,
                    temperature=request.temperature,
                )
        except ValueError as exc:
            # llama.cpp says "Requested tokens (N) exceed context window of M".
            kind = "too_large" if "context window" in str(exc) else "unsupported"
            raise BackendCallError(kind, f"{type(exc).__name__}: {exc}") from None
        except Exception as exc:  # the model's Jinja chat template rejects these messages
            if type(exc).__module__.startswith("jinja2"):
                raise BackendCallError("unsupported", f"chat template: {exc}") from None
            raise
        usage = reply.get("usage") or {}
        return ChatResponse(
            content=reply["choices"][0]["message"]["content"] or "",
            model_used=model,
            backend=self.name,
            usage=TokenUsage(
                prompt_tokens=usage.get("prompt_tokens", 0),
                completion_tokens=usage.get("completion_tokens", 0),
                total_tokens=usage.get("total_tokens", 0),
            ),
            latency_s=time.perf_counter() - started,
            finish_reason=str(reply["choices"][0].get("finish_reason") or ""),
        )


def use_packaged_chat_template(llm: Any, name: str) -> None:
    """llama-cpp-python falls back to a generic format when a GGUF has no chat template; use
    the template packaged for the file's architecture instead, when there is one."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = chat_template(llm.metadata)
    if template is None:
        log.warning("%s has no chat template; llama.cpp formats it as %s", name, llm.chat_format)
        return
    eos, bos = llm.token_eos(), llm.token_bos()
    llm.chat_handler = Jinja2ChatFormatter(
        template=template,
        eos_token=llm.detokenize([eos], special=True).decode(),
        bos_token=llm.detokenize([bos], special=True).decode(),
        stop_token_ids=[eos],
    ).to_chat_handler()
    llm.chat_format = f"packaged:{llm.metadata.get('general.architecture')}"

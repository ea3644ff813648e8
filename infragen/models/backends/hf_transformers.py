"""In-process Hugging Face models through `transformers` (optional; weights must be local).

A model name is one of:
- an alias or path that gguf_files resolves (MODEL_<ALIAS>_PATH, the registry's [local_models],
  a .gguf path): a GGUF file is dequantized by transformers (`gguf_file=`, needs the `gguf`
  package), a directory is loaded as a saved model;
- a local directory or a model id already in the local Hugging Face cache.
Nothing is downloaded at run time (`local_files_only=True`). The chat template is the
tokenizer's own; a GGUF converted without one gets the template packaged for its architecture
(see gguf_files). Turning a GGUF vocabulary into a tokenizer is slow (about a minute for a 262k
vocabulary), so the converted tokenizer is saved once beside the joined GGUF files and reused.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import time
from pathlib import Path
from typing import Any

from infragen.errors import ConfigError
from infragen.models.backends.gguf_files import (
    chat_template,
    gguf_cache_dir,
    gguf_strings,
    names_a_local_file,
    resolve_model_path,
)
from infragen.models.backends.loaded import InProcessBackend
from infragen.models.base import BackendCallError, ChatRequest, ChatResponse, TokenUsage


class TransformersBackend(InProcessBackend):
    name = "transformers"
    library = "transformers"
    install_hint = "pip install 'infragen-iac[transformers]'"

    def source(self, name: str) -> tuple[str, dict[str, str]]:
        """What `from_pretrained` is given for `name`: a directory or id, and `gguf_file` if any."""
        if not names_a_local_file(name, self.settings, self.local_models):
            return name, {}
        path = resolve_model_path(name, self.settings, self.local_models)
        if path.is_dir():
            return str(path), {}
        if path.suffix != ".gguf":
            raise ConfigError(f"{path} is neither a model directory nor a .gguf file")
        return str(path.parent), {"gguf_file": path.name}

    def locate(self, name: str) -> tuple[str, dict[str, str]]:
        """`source(name)`, checked to be on this machine without loading anything."""
        where, gguf = self.source(name)
        if not gguf and not Path(where).is_dir():
            from huggingface_hub import try_to_load_from_cache

            try:
                cached = try_to_load_from_cache(where, "config.json")
            except ValueError:  # not a valid model id either
                cached = None
            if not isinstance(cached, str):
                raise ConfigError(
                    f"model {name!r} is neither a local directory nor in the HF cache",
                    "download it once with `huggingface-cli download`, or give a .gguf path",
                )
        return where, gguf

    def _load(self, name: str) -> Any:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        where, gguf = self.locate(name)
        if gguf:
            _require_gguf_readers()
        try:
            if gguf:
                tokenizer = gguf_tokenizer(Path(where) / gguf["gguf_file"])
            else:
                tokenizer = AutoTokenizer.from_pretrained(where, local_files_only=True)
            model = AutoModelForCausalLM.from_pretrained(where, local_files_only=True, **gguf)
        except (OSError, ValueError) as exc:  # not on disk / not in the cache / unknown format
            raise ConfigError(
                f"transformers cannot load {name!r}: {type(exc).__name__}: {exc}"[:400],
                "give a local model directory, a .gguf file, or a model already in the HF cache",
            ) from exc
        model.eval()
        return tokenizer, model

    def complete(self, model: str, request: ChatRequest) -> ChatResponse:
        tokenizer, llm = self.loaded_model(model)
        started = time.perf_counter()
        try:
            inputs = tokenizer.apply_chat_template(
                [m.model_dump() for m in request.messages],
                add_generation_prompt=True,
                return_tensors="pt",
                return_dict=True,
            )
        except Exception as exc:  # no template, or the template rejects these roles
            raise BackendCallError("unsupported", f"chat template: {exc}") from None
        prompt_len = int(inputs["input_ids"].shape[-1])
        limit = getattr(llm.config, "max_position_embeddings", None)
        if limit and prompt_len + request.max_tokens > limit:
            raise BackendCallError(
                "too_large", f"{prompt_len} prompt tokens + {request.max_tokens} > {limit}"
            )
        sampling = (
            {"do_sample": True, "temperature": request.temperature}
            if request.temperature > 0
            else {"do_sample": False}
        )
        import torch

        with self._generating, torch.inference_mode():
            output = llm.generate(
                **inputs,
                max_new_tokens=request.max_tokens,
                pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id,
                **sampling,
            )
        new_tokens = output[0][prompt_len:]
        return ChatResponse(
            content=tokenizer.decode(new_tokens, skip_special_tokens=True),
            model_used=model,
            backend=self.name,
            usage=TokenUsage(
                prompt_tokens=prompt_len,
                completion_tokens=int(len(new_tokens)),
                total_tokens=prompt_len + int(len(new_tokens)),
            ),
            latency_s=time.perf_counter() - started,
            # generation stopped on the cap, not on an end-of-sequence token
            finish_reason="length" if len(new_tokens) >= request.max_tokens else "stop",
        )


def _require_gguf_readers() -> None:
    missing = [m for m in ("gguf", "accelerate") if importlib.util.find_spec(m) is None]
    if missing:
        raise ConfigError(
            f"loading a GGUF file with transformers needs {' and '.join(missing)}",
            f"pip install {' '.join(missing)}",
        )


def gguf_tokenizer(path: Path) -> Any:
    """The tokenizer of a GGUF file, converted once and then loaded from the user cache."""
    from transformers import AutoTokenizer

    stat = path.stat()
    saved = gguf_cache_dir() / "tokenizers" / f"{path.stem}-{stat.st_size}-{stat.st_mtime_ns}"
    if saved.is_dir():
        return AutoTokenizer.from_pretrained(saved, local_files_only=True)
    tokenizer = AutoTokenizer.from_pretrained(
        path.parent, gguf_file=path.name, local_files_only=True
    )
    if not tokenizer.chat_template:
        meta = gguf_strings(path, ("tokenizer.chat_template", "general.architecture"))
        tokenizer.chat_template = chat_template(meta)
    partial = saved.with_name(f"{saved.name}.{os.getpid()}.part")
    try:  # save privately, then rename: another process may be loading `saved`
        tokenizer.save_pretrained(partial)
        partial.rename(saved)
    except OSError:  # another process won the race, or the cache is read-only: keep ours
        pass
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return tokenizer

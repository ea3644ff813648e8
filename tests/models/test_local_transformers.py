"""The transformers backend on real weights: the packaged Gemma 3 270M GGUF, dequantized by
transformers (`gguf_file=`). Marked local_llm: loading takes one to three minutes on two cores."""

from __future__ import annotations

from pathlib import Path

import pytest
from local_weights import MODEL, local_backend

from infragen.errors import ConfigError
from infragen.models.backends.gguf_files import chat_template, gguf_cache_dir
from infragen.models.base import ChatRequest
from infragen.models.config import ModelSettings

MESSAGES = [
    {"role": "system", "content": "Answer in one word."},
    {"role": "user", "content": "What colour is the sky?"},
]


def test_what_from_pretrained_is_given(tmp_path):
    pytest.importorskip("transformers")
    from infragen.models.backends.hf_transformers import TransformersBackend

    gguf, saved, other = tmp_path / "m.gguf", tmp_path / "saved", tmp_path / "m.bin"
    gguf.write_bytes(b"GGUF")
    saved.mkdir()
    other.write_bytes(b"")
    aliases = {"g": str(gguf), "d": str(saved), "o": str(other)}
    backend = TransformersBackend(ModelSettings(), aliases)
    assert backend.source("g") == (str(tmp_path), {"gguf_file": "m.gguf"})
    assert backend.source("d") == (str(saved), {})
    assert backend.source("org/some-model") == ("org/some-model", {})  # the local HF cache
    with pytest.raises(ConfigError):
        backend.source("o")
    with pytest.raises(ConfigError) as caught:  # checked before any loaded model is unloaded
        backend.locate("org/some-model")
    assert "HF cache" in caught.value.message


@pytest.mark.local_llm
def test_transformers_reads_the_gguf_with_the_packaged_chat_template():
    backend = local_backend("transformers")
    tokenizer, model = backend.models.get(MODEL)
    assert type(model).__name__ == "Gemma3ForCausalLM"
    packaged = chat_template({"general.architecture": "gemma3"})
    assert tokenizer.chat_template == packaged  # the GGUF has none of its own
    reply = backend.complete(MODEL, ChatRequest(task="clarifier", messages=MESSAGES, max_tokens=4))
    assert (reply.backend, reply.model_used) == ("transformers", MODEL)
    assert 0 < reply.usage.completion_tokens <= 4
    rendered = tokenizer.apply_chat_template(MESSAGES, add_generation_prompt=True, tokenize=False)
    assert rendered.startswith("<bos><start_of_turn>user\nAnswer in one word.\n\nWhat colour")
    assert reply.usage.prompt_tokens == len(tokenizer(rendered, add_special_tokens=False).input_ids)


@pytest.mark.local_llm
def test_both_in_process_backends_see_the_same_prompt_tokens():
    """Same GGUF, same template, two tokenizer implementations: the counts must agree."""
    request = ChatRequest(task="clarifier", messages=MESSAGES, max_tokens=2)
    counts = {
        name: local_backend(name).complete(MODEL, request).usage.prompt_tokens
        for name in ("transformers", "llama_cpp")
    }
    assert counts["transformers"] == counts["llama_cpp"] > 10


@pytest.mark.local_llm
def test_the_converted_tokenizer_is_cached_and_reloads_the_same():
    from infragen.models.backends.hf_transformers import gguf_tokenizer

    backend = local_backend("transformers")
    tokenizer, _ = backend.models.get(MODEL)
    where, gguf = backend.source(MODEL)
    saved = list((gguf_cache_dir() / "tokenizers").glob(f"{gguf['gguf_file'][:-5]}-*"))
    assert [p.suffix for p in saved] == [""]  # one finished directory, no partial left behind
    again = gguf_tokenizer(Path(where) / gguf["gguf_file"])  # from the cache this time
    assert again.chat_template == tokenizer.chat_template
    text = "create a vpc with two private subnets"
    assert again(text).input_ids == tokenizer(text).input_ids

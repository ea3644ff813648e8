"""all-MiniLM-L6-v2 forward pass in numpy, read straight from the package's safetensors file.

The model is a 6-layer BERT (hidden 384, 12 heads). For one short request the work is a few
dozen small matrix products; through torch + transformers most of a call was framework overhead
(masks, dispatch, hooks), and importing torch alone took seconds. This module computes the same
numbers (tests compare it with transformers to 1e-6) with numpy, `tokenizers` and `safetensors`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

LAYERS = 6
HEADS = 12
HIDDEN = 384
LAYER_NORM_EPS = 1e-12
# Numerical Recipes' erfc coefficients (fractional error < 1.2e-7): BERT's GELU is the exact,
# erf-based one, and numpy has no erf.
_ERFC = (
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277,
)


def erf(x: np.ndarray) -> np.ndarray:
    """erf(x) for float32 arrays; in place where it can, as GELU runs on every hidden unit."""
    z = np.abs(x)
    t = z * np.float32(0.5)
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = t * np.float32(_ERFC[-1])
    for coefficient in reversed(_ERFC[1:-1]):
        poly += np.float32(coefficient)
        poly *= t
    poly += np.float32(_ERFC[0])
    z *= z
    poly -= z
    np.exp(poly, out=poly)
    poly *= t  # erfc(|x|)
    return np.where(x >= 0, np.float32(1.0) - poly, poly - np.float32(1.0))


def gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x * np.float32(1 / np.sqrt(2))))


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(variance + LAYER_NORM_EPS) * weight + bias


class Layer:
    """One encoder layer; weights transposed once so a call is x @ W + b."""

    def __init__(self, tensors: dict[str, np.ndarray], index: int) -> None:
        def get(name: str) -> np.ndarray:
            return tensors[f"encoder.layer.{index}.{name}"].astype(np.float32)

        attention = [f"attention.self.{part}" for part in ("query", "key", "value")]
        self.qkv = np.ascontiguousarray(np.concatenate([get(f"{a}.weight") for a in attention]).T)
        self.qkv_bias = np.concatenate([get(f"{a}.bias") for a in attention])
        self.out = np.ascontiguousarray(get("attention.output.dense.weight").T)
        self.out_bias = get("attention.output.dense.bias")
        self.norm1 = (
            get("attention.output.LayerNorm.weight"),
            get("attention.output.LayerNorm.bias"),
        )
        self.up = np.ascontiguousarray(get("intermediate.dense.weight").T)
        self.up_bias = get("intermediate.dense.bias")
        self.down = np.ascontiguousarray(get("output.dense.weight").T)
        self.down_bias = get("output.dense.bias")
        self.norm2 = (get("output.LayerNorm.weight"), get("output.LayerNorm.bias"))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        tokens, head = x.shape[0], HIDDEN // HEADS
        q, k, v = np.split(x @ self.qkv + self.qkv_bias, 3, axis=1)
        q, k, v = (m.reshape(tokens, HEADS, head).transpose(1, 0, 2) for m in (q, k, v))
        scores = q @ k.transpose(0, 2, 1) * np.float32(1 / np.sqrt(head))
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(tokens, HIDDEN)
        x = layer_norm(context @ self.out + self.out_bias + x, *self.norm1)
        hidden = gelu(x @ self.up + self.up_bias)
        return layer_norm(hidden @ self.down + self.down_bias + x, *self.norm2)


class MiniLM:
    """Mean-pooled, L2-normalised sentence embeddings (the sentence-transformers recipe)."""

    def __init__(self, model_dir: Path, max_tokens: int) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        tensors = load_file(str(model_dir / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        # tokenizer.json pads every input to 128 tokens; one request needs only its own length.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_tokens)
        self.words = tensors["embeddings.word_embeddings.weight"].astype(np.float32)
        positions = tensors["embeddings.position_embeddings.weight"].astype(np.float32)
        # Every input is one segment (type 0), so its embedding folds into the positions.
        self.positions = positions + tensors["embeddings.token_type_embeddings.weight"][0]
        self.norm = (
            tensors["embeddings.LayerNorm.weight"].astype(np.float32),
            tensors["embeddings.LayerNorm.bias"].astype(np.float32),
        )
        self.layers = [Layer(tensors, i) for i in range(LAYERS)]

    def embed(self, text: str) -> np.ndarray:
        ids = self.tokenizer.encode(text).ids
        x = layer_norm(self.words[ids] + self.positions[: len(ids)], *self.norm)
        for layer in self.layers:
            x = layer(x)
        pooled = x.mean(axis=0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-9)

    def encode(self, texts: list[str]) -> np.ndarray:
        """One text at a time: no padding, so each costs only its own length."""
        if not texts:
            return np.zeros((0, HIDDEN), dtype=np.float32)
        return np.stack([self.embed(text) for text in texts]).astype(np.float32)

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
# Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7): BERT's GELU is the exact, erf-based one,
# numpy has no erf, and GELU runs on every hidden unit, so it is computed in place in few passes.
_ERF_P = np.float32(0.3275911)
_ERF_A = tuple(np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736))
_ERF_A1 = np.float32(0.254829592)


def erf(x: np.ndarray) -> np.ndarray:
    z = np.abs(x)
    t = z * _ERF_P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = t * _ERF_A[0]
    for coefficient in _ERF_A[1:]:
        poly += coefficient
        poly *= t
    poly += _ERF_A1
    poly *= t
    z *= z
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # erfc(|x|)
    np.subtract(np.float32(1.0), poly, out=poly)  # erf(|x|)
    return np.copysign(poly, x, out=poly)


def gelu(x: np.ndarray) -> np.ndarray:
    out = erf(x * np.float32(1 / np.sqrt(2)))
    out += np.float32(1.0)
    out *= x
    out *= np.float32(0.5)
    return out


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    scale = np.float32(1 / x.shape[-1])
    centred = x - np.add.reduce(x, axis=-1, keepdims=True) * scale
    variance = np.add.reduce(centred * centred, axis=-1, keepdims=True) * scale
    variance += np.float32(LAYER_NORM_EPS)
    centred /= np.sqrt(variance, out=variance)
    centred *= weight
    centred += bias
    return centred


def normalise(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-9)


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
        qkv = x @ self.qkv
        qkv += self.qkv_bias
        q, k, v = np.split(qkv, 3, axis=1)
        q, k, v = (m.reshape(tokens, HEADS, head).transpose(1, 0, 2) for m in (q, k, v))
        scores = q @ k.transpose(0, 2, 1)
        scores *= np.float32(1 / np.sqrt(head))
        scores -= scores.max(-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= np.add.reduce(scores, axis=-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(tokens, HIDDEN)
        attended = context @ self.out
        attended += self.out_bias
        attended += x
        x = layer_norm(attended, *self.norm1)
        hidden = x @ self.up
        hidden += self.up_bias
        hidden = gelu(hidden)
        output = hidden @ self.down
        output += self.down_bias
        output += x
        return layer_norm(output, *self.norm2)


class MiniLM:
    """Mean-pooled, L2-normalised sentence embeddings (the sentence-transformers recipe).

    `layers` runs only the first N encoder layers: a classifier fitted on top of layer 4 routes as
    well as one on layer 6 (fixtures/routing/README.md) at two thirds of the cost.
    """

    def __init__(self, model_dir: Path, max_tokens: int, layers: int = LAYERS) -> None:
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
        self.layers = [Layer(tensors, i) for i in range(layers)]

    def hidden(self, text: str) -> np.ndarray:
        """The token states, [CLS] and [SEP] included: shape (tokens, 384)."""
        ids = self.tokenizer.encode(text).ids
        x = layer_norm(self.words[ids] + self.positions[: len(ids)], *self.norm)
        for layer in self.layers:
            x = layer(x)
        return x

    def embed(self, text: str) -> np.ndarray:
        return normalise(self.hidden(text).mean(axis=0))

    def encode(self, texts: list[str]) -> np.ndarray:
        """One text at a time: no padding, so each costs only its own length."""
        if not texts:
            return np.zeros((0, HIDDEN), dtype=np.float32)
        return np.stack([self.embed(text) for text in texts]).astype(np.float32)

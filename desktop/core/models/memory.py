"""Rough memory needs of a model at a context size, so the library can warn before a load fails or swaps.

These are estimates from the GGUF header alone, deliberately on the high side: llama.cpp shrinks the
KV cache for sliding-window layers (Gemma 2/3) and latent attention (DeepSeek 2/3), which is not modelled.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from desktop.core.i18n import translate
from desktop.core.models.gguf_file import ModelInfo

__all__ = ["GIB", "MIB", "Fit", "MemoryEstimate", "classify_fit", "estimate_memory", "human_bytes", "offload_split",
           "system_ram"]

MIB = 1 << 20
GIB = 1 << 30
_KV_BYTES = 2  # f16 K and V cache entries, llama.cpp's default type_k/type_v
_UBATCH = 512  # llama.cpp's default n_ubatch: tokens per compute step
_SCORE_BYTES = 4  # f32 attention scores
_DEFAULT_HEADS = 32  # when the header gives no head count, assume a 7B-class model
_FALLBACK_RAM = 8 * GIB


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes needed to run a model: its weights, its KV cache at the chosen context, and the rest."""

    weights: int  # the file size (all shards)
    kv_cache: int  # at the chosen context, f16 K and V
    overhead: int  # compute buffers etc.: see estimate_memory

    @property
    def total(self) -> int:
        return self.weights + self.kv_cache + self.overhead


class Fit(Enum):
    GPU = "fits on GPU"
    RAM = "fits in RAM"
    TOO_LARGE = "too large"

    @property
    def label(self) -> str:
        """The value as shown to the person, in their language (the value itself stays English: the CLI prints it)."""
        if self is Fit.GPU:
            return translate("Fit", "fits on GPU")
        if self is Fit.RAM:
            return translate("Fit", "fits in RAM")
        return translate("Fit", "too large")


def _count(value: object) -> int | None:
    """A non-negative int from metadata (bools are not counts)."""
    return value if type(value) is int and value >= 0 else None


def _per_layer(value: object, layers: int) -> list[int] | None:
    """An int or a per-layer tuple, as one count per layer; a tuple of the wrong length is taken at its max."""
    if (n := _count(value)) is not None:
        return [n] * layers
    if isinstance(value, tuple) and value and all(_count(v) is not None for v in value):
        counts = [int(v) for v in value]
        return counts if len(counts) == layers else [max(counts)] * layers
    return None  # absent, or a long array that gguf_file summarised as a string


def _kv_cache(meta: Mapping[str, object], arch: str, n_ctx: int) -> int:
    layers = _count(meta.get(f"{arch}.block_count"))
    if not layers:
        return 0
    heads = _per_layer(meta.get(f"{arch}.attention.head_count"), layers)
    kv_heads = _per_layer(meta.get(f"{arch}.attention.head_count_kv"), layers) or heads
    if kv_heads is None:
        return 0
    key, value = _count(meta.get(f"{arch}.attention.key_length")), _count(meta.get(f"{arch}.attention.value_length"))
    if key is None or value is None:
        embedding, max_heads = _count(meta.get(f"{arch}.embedding_length")), max(heads or [0])
        if not embedding or not max_heads:
            return 0
        key = embedding // max_heads if key is None else key
        value = embedding // max_heads if value is None else value
    return n_ctx * sum(kv_heads) * (key + value) * _KV_BYTES


def estimate_memory(info: ModelInfo, n_ctx: int, file_size: int) -> MemoryEstimate:
    """Weights + KV cache + overhead for n_ctx tokens; missing header numbers give kv_cache 0, never an error.

    KV cache: n_ctx × Σ_layers head_count_kv(layer) × (key_length + value_length) × 2 bytes.
    Overhead rule: max(64 MiB, 5% of the weights) for the context, graph and scratch allocations, plus the
    attention-score buffer llama.cpp's compute graph needs without flash attention:
    n_ctx × max head_count × 512 (n_ubatch) × 4 bytes (32 heads assumed when unknown).
    """
    n_ctx = max(0, n_ctx)
    meta, arch = info.metadata, info.architecture
    kv = _kv_cache(meta, arch, n_ctx)
    layers = _count(meta.get(f"{arch}.block_count")) or 1
    heads = _per_layer(meta.get(f"{arch}.attention.head_count"), layers)
    scores = n_ctx * (max(heads) if heads and max(heads) else _DEFAULT_HEADS) * _UBATCH * _SCORE_BYTES
    overhead = max(64 * MIB, file_size // 20) + scores
    return MemoryEstimate(weights=file_size, kv_cache=kv, overhead=overhead)


def classify_fit(estimate: MemoryEstimate, ram_bytes: int, vram_bytes: int | None) -> Fit:
    """GPU if within 90% of VRAM, else RAM if within 80% of RAM (the OS and other apps need the rest)."""
    total = estimate.total
    if vram_bytes is not None and total * 10 <= vram_bytes * 9:
        return Fit.GPU
    if total * 10 <= ram_bytes * 8:
        return Fit.RAM
    return Fit.TOO_LARGE


def offload_split(estimate: MemoryEstimate, gpu_layers: int, total_layers: int) -> tuple[int, int]:
    """(bytes on the GPU, bytes in RAM) with gpu_layers of total_layers offloaded (-1, more than total or an
    unknown total: all).

    Weights and KV cache split in proportion to the layers (llama.cpp keeps each layer's KV cache with the
    layer); the compute buffers go to the GPU as soon as any layer does. Embeddings are not modelled apart.
    """
    if gpu_layers == 0:
        return 0, estimate.total
    share = 1.0 if gpu_layers < 0 or total_layers <= 0 else min(gpu_layers, total_layers) / total_layers
    gpu = round((estimate.weights + estimate.kv_cache) * share) + estimate.overhead
    return gpu, estimate.total - gpu


def system_ram() -> int:
    """Physical RAM in bytes via sysconf (Linux, macOS); 8 GiB where that is unavailable (Windows)."""
    try:
        pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return _FALLBACK_RAM
    return pages * page_size if pages > 0 and page_size > 0 else _FALLBACK_RAM


def human_bytes(n: int) -> str:
    """Decimal units as file managers show them: "512 B", "253 MB", "4.1 GB" (one decimal below 10)."""
    sign, n = ("-", -n) if n < 0 else ("", n)
    if n < 1000:
        return f"{sign}{n} B"
    value = float(n)
    for unit in ("KB", "MB", "GB", "TB", "PB"):
        value /= 1000
        text = f"{value:.1f}" if value < 9.95 else f"{value:.0f}"
        if float(text) < 1000 or unit == "PB":
            return f"{sign}{text} {unit}"
    raise AssertionError("unreachable")

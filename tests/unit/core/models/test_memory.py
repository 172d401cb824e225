"""Tests for desktop.core.models.memory: KV-cache arithmetic, fallbacks for missing metadata, fit and formatting."""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType

import pytest

from desktop.core.models.gguf_file import ModelInfo, read_model_info
from desktop.core.models.memory import (
    GIB,
    MIB,
    Fit,
    MemoryEstimate,
    classify_fit,
    estimate_memory,
    human_bytes,
    offload_split,
    system_ram,
)


def model(arch: str = "llama", **meta: object) -> ModelInfo:
    """A ModelInfo whose metadata is `meta` with keys under the architecture ("block_count" -> "llama.block_count")."""
    metadata = {"general.architecture": arch, **{f"{arch}.{k.replace('__', '.')}": v for k, v in meta.items()}}
    return ModelInfo(path=Path("m.gguf"), file_size=0, architecture=arch, name="m", size_label=None,
                     quantization=None, context_length=None, block_count=None, chat_template=None, bos_token=None,
                     eos_token=None, add_bos_token=None, tokenizer_pre=None, license=None, tensor_count=1,
                     metadata=MappingProxyType(metadata))


GEMMA3 = {"block_count": 18, "embedding_length": 640, "attention__head_count": 4, "attention__head_count_kv": 1,
          "attention__key_length": 256, "attention__value_length": 256}


def kv(info: ModelInfo, n_ctx: int = 4096) -> int:
    return estimate_memory(info, n_ctx, 0).kv_cache


# --- KV cache --------------------------------------------------------------------------------------------


def test_gemma3_270m_numbers() -> None:
    assert kv(model("gemma3", **GEMMA3)) == 4096 * 18 * 1 * 512 * 2 == 75_497_472


def test_builtin_model_header(builtin_model: Path) -> None:
    info = read_model_info(builtin_model)
    est = estimate_memory(info, 4096, info.file_size)
    assert est.weights == info.file_size == 253_113_024
    assert est.kv_cache == 75_497_472
    assert est.overhead == 64 * MIB + 4096 * 4 * 512 * 4  # 5% of 253 MB is under the 64 MiB floor
    assert human_bytes(est.total) == "429 MB"


def test_gqa_with_lengths_from_embedding() -> None:
    # key = value = 64 // 8 = 8 dims; 2 layers × 2 KV heads × 16 dims × 2 bytes per token
    info = model(block_count=2, embedding_length=64, attention__head_count=8, attention__head_count_kv=2)
    assert kv(info, 1000) == 1000 * 2 * 2 * 16 * 2


def test_head_count_kv_defaults_to_head_count() -> None:
    info = model(block_count=3, embedding_length=64, attention__head_count=8)
    assert kv(info, 10) == 10 * 3 * 8 * 16 * 2


def test_explicit_lengths_win_over_embedding() -> None:
    info = model(block_count=1, embedding_length=64, attention__head_count=8, attention__head_count_kv=1,
                 attention__key_length=192, attention__value_length=128)
    assert kv(info, 10) == 10 * 1 * 1 * 320 * 2


def test_one_length_missing_uses_embedding_for_that_one() -> None:
    info = model(block_count=1, embedding_length=64, attention__head_count=8, attention__key_length=32)
    assert kv(info, 10) == 10 * 8 * (32 + 8) * 2


def test_per_layer_head_count_kv() -> None:
    # e.g. hybrid models: layers without attention have 0 KV heads
    info = model(block_count=4, attention__head_count=(8, 8, 8, 8), attention__head_count_kv=(1, 2, 0, 4),
                 attention__key_length=64, attention__value_length=64)
    assert kv(info, 100) == 100 * 7 * 128 * 2


def test_per_layer_array_of_the_wrong_length_uses_its_max() -> None:
    info = model(block_count=4, attention__head_count_kv=(1, 2), attention__key_length=8, attention__value_length=8)
    assert kv(info, 1) == 4 * 2 * 16 * 2


def test_long_array_summary_falls_back_to_head_count() -> None:
    # gguf_file keeps arrays over 64 entries only as a summary string
    info = model(block_count=80, attention__head_count=64, attention__head_count_kv="[array of 80 int32]",
                 attention__key_length=128, attention__value_length=128)
    assert kv(info, 1) == 80 * 64 * 256 * 2


@pytest.mark.parametrize("meta", [
    {},
    {"block_count": 2},
    {"block_count": 0, **{k: v for k, v in GEMMA3.items() if k != "block_count"}},
    {"block_count": 2, "attention__head_count": 4},  # no lengths, no embedding_length
    {"block_count": 2, "embedding_length": 64},  # no head counts at all
    {"block_count": 2, "embedding_length": 64, "attention__head_count": 0},
    {"block_count": True, "embedding_length": 64, "attention__head_count": 4},  # bools are not counts
    {"block_count": -2, "embedding_length": 64, "attention__head_count": 4},
    {"block_count": "18", "embedding_length": 64, "attention__head_count": 4},
    {"block_count": 2, "attention__head_count_kv": (1, "x"), "attention__key_length": 8,
     "attention__value_length": 8},
])
def test_missing_or_odd_metadata_gives_zero(meta: dict[str, object]) -> None:
    est = estimate_memory(model("llama", **meta), 4096, 1000)
    assert est.kv_cache == 0
    assert est.weights == 1000 and est.overhead > 0


def test_architecture_prefix_matters() -> None:
    info = model("qwen2", **GEMMA3)
    assert kv(info) == 75_497_472
    foreign = ModelInfo(**{**info.__dict__, "architecture": "llama"})  # keys are qwen2.*, arch says llama
    assert kv(foreign) == 0


def test_zero_context() -> None:
    assert kv(model("gemma3", **GEMMA3), 0) == 0


# --- overhead and total ----------------------------------------------------------------------------------


def test_overhead_rule() -> None:
    info = model("gemma3", **GEMMA3)
    small = estimate_memory(info, 1000, 10 * MIB)
    assert small.overhead == 64 * MIB + 1000 * 4 * 512 * 4
    big = estimate_memory(info, 1000, 20 * GIB)
    assert big.overhead == 20 * GIB // 20 + 1000 * 4 * 512 * 4
    unknown_heads = estimate_memory(model(), 1000, 0)
    assert unknown_heads.overhead == 64 * MIB + 1000 * 32 * 512 * 4
    assert big.total == big.weights + big.kv_cache + big.overhead


# --- fit ---------------------------------------------------------------------------------------------------


def total_of(n: int) -> MemoryEstimate:
    return MemoryEstimate(weights=n, kv_cache=0, overhead=0)


def test_fit_boundaries() -> None:
    ram, vram = 10_000, 1_000
    assert classify_fit(total_of(900), ram, vram) is Fit.GPU  # exactly 90% of VRAM
    assert classify_fit(total_of(901), ram, vram) is Fit.RAM
    assert classify_fit(total_of(900), ram, None) is Fit.RAM
    assert classify_fit(total_of(8_000), ram, vram) is Fit.RAM  # exactly 80% of RAM
    assert classify_fit(total_of(8_001), ram, vram) is Fit.TOO_LARGE
    assert classify_fit(total_of(8_001), ram, None) is Fit.TOO_LARGE
    assert classify_fit(total_of(0), 0, None) is Fit.RAM
    assert classify_fit(total_of(9_000), ram, 10_000) is Fit.GPU  # a big GPU beats small RAM


def test_fit_labels() -> None:
    assert [f.value for f in Fit] == ["fits on GPU", "fits in RAM", "too large"]


# --- system RAM --------------------------------------------------------------------------------------------


def test_system_ram_is_plausible() -> None:
    assert 256 * MIB < system_ram() < 1 << 50


@pytest.mark.parametrize("failure", [ValueError("unknown name"), OSError(22, "bad"), -1])
def test_system_ram_fallback(monkeypatch: pytest.MonkeyPatch, failure: Exception | int) -> None:
    def sysconf(name: str) -> int:
        if isinstance(failure, Exception):
            raise failure
        return failure

    monkeypatch.setattr(os, "sysconf", sysconf)
    assert system_ram() == 8 * GIB


def test_system_ram_without_sysconf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "sysconf")  # Windows
    assert system_ram() == 8 * GIB


# --- human_bytes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "text"), [
    (0, "0 B"), (999, "999 B"), (1000, "1.0 KB"), (1536, "1.5 KB"), (999_499, "999 KB"), (999_999, "1.0 MB"),
    (9_940_000, "9.9 MB"), (9_960_000, "10 MB"), (253_113_024, "253 MB"), (4_100_000_000, "4.1 GB"),
    (4_368_439_296, "4.4 GB"), (70 * 10**9, "70 GB"), (1_200_000_000_000, "1.2 TB"), (10**18, "1000 PB"),
    (-1500, "-1.5 KB"),
])
def test_human_bytes(n: int, text: str) -> None:
    assert human_bytes(n) == text


def test_offload_split_follows_the_layers() -> None:
    estimate = MemoryEstimate(weights=1000 * MIB, kv_cache=200 * MIB, overhead=100 * MIB)
    assert offload_split(estimate, 0, 24) == (0, estimate.total)
    assert offload_split(estimate, -1, 24) == (estimate.total, 0)
    assert offload_split(estimate, 99, 24) == (estimate.total, 0)
    gpu, ram = offload_split(estimate, 12, 24)
    assert gpu == 600 * MIB + 100 * MIB and ram == 600 * MIB and gpu + ram == estimate.total

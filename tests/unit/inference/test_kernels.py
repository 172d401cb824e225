"""Choosing llama.cpp's CPU kernels: the best variant ggml ranks for this CPU among those whose registers the OS
has enabled (a VM may report AVX-512 or AMX in CPUID but not save their state: the kernels would die with SIGILL),
or the one PARLEY_CPU_VARIANT forces; and what the status bar, the About dialog and run records then say."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.inference.backend import LoadedModel
from desktop.inference.llama.kernels import (
    CpuKernels,
    CpuKernelsError,
    backend_modules,
    choose,
    os_allows,
    variant_files,
)
from tests.fakes import fake_info

# What ggml's scorer gives each variant on a CPU whose CPUID reports everything up to AMX (Sapphire Rapids).
SCORES = {"x64": 1, "sse42": 5, "haswell": 64, "skylakex": 192, "icelake": 1472, "zen4": 0, "sapphirerapids": 4032}
AVX2_ONLY = frozenset({"sse4_2", "avx", "avx2", "fma", "f16c", "bmi2"})
AVX512 = AVX2_ONLY | {"avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512vbmi"}
AMX = AVX512 | {"amx_tile", "amx_int8", "amx_bf16"}


@pytest.fixture
def build(tmp_path: Path) -> dict[str, Path]:
    """A portable build's library folder, as llama-cpp-python's wheel lays it out."""
    for name in ("libggml.so", "libggml.so.0", "libggml-base.so", "libllama.so", "libggml-cuda.so",
                 *(f"libggml-cpu-{v}.so" for v in SCORES)):
        (tmp_path / name).write_bytes(b"\x7fELF")
    return variant_files(tmp_path)


def score(path: Path) -> int:
    return SCORES[path.name.removeprefix("libggml-cpu-").removesuffix(".so")]


def test_the_variants_and_the_gpu_backends_of_a_build_are_found(build: dict[str, Path], tmp_path: Path) -> None:
    assert sorted(build) == sorted(SCORES)
    assert [p.name for p in backend_modules(tmp_path)] == ["libggml-cuda.so"]
    assert variant_files(tmp_path / "missing") == {} and backend_modules(tmp_path / "missing") == []


def test_the_best_variant_the_os_allows_is_chosen(build: dict[str, Path]) -> None:
    # The VM of issue 17: CPUID says AMX, the OS has not enabled it (no amx_* in /proc/cpuinfo).
    chosen = choose(build, AVX512, score=score)
    assert chosen.variant == "icelake" and chosen.label == "AVX-512 VNNI"
    assert "sapphirerapids" not in chosen.usable and "zen4" not in chosen.usable  # not allowed; scored 0
    assert chosen.record == "icelake (AVX-512 VNNI)" and not chosen.forced
    assert choose(build, AVX2_ONLY, score=score).variant == "haswell"
    assert choose(build, frozenset({"sse4_2"}), score=score).variant == "sse42"


def test_amx_needs_the_os_permission_too(build: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.inference.llama.kernels as kernels

    monkeypatch.setattr(kernels, "amx_permitted", lambda: False)  # the arch_prctl request refused
    assert not os_allows("sapphirerapids", AMX) and os_allows("icelake", AMX)
    assert choose(build, AMX, score=score).variant == "icelake"
    monkeypatch.setattr(kernels, "amx_permitted", lambda: True)
    assert choose(build, AMX, score=score).variant == "sapphirerapids"


def test_without_a_readable_cpuinfo_ggml_ranks_alone(build: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.inference.llama.kernels as kernels

    monkeypatch.setattr(kernels, "amx_permitted", lambda: False)  # not Linux: no AMX permission to ask for
    assert os_allows("skylakex", None) and not os_allows("sapphirerapids", None)
    assert choose(build, None, score=score).variant == "icelake"


def test_a_forced_variant_and_a_cpu_that_runs_none(build: dict[str, Path]) -> None:
    forced = choose(build, AVX512, forced="x64", score=score)
    assert forced.variant == "x64" and forced.forced and forced.record == "x64 (x86-64) forced"
    with pytest.raises(CpuKernelsError, match="PARLEY_CPU_VARIANT=armv8"):
        choose(build, AVX512, forced="armv8", score=score)
    with pytest.raises(CpuKernelsError, match="can run on this CPU"):
        choose(build, AVX512, score=lambda path: 0)


def test_the_status_bar_and_records_name_the_kernels(tmp_path: Path) -> None:
    info = fake_info(tmp_path / "m.gguf")
    portable = LoadedModel(info, 4096, 2, "CPU", 0, 18, cpu_kernels="AVX-512 VNNI")
    assert portable.offload_summary == "CPU · AVX-512 VNNI kernels · 2 threads"
    assert "AVX-512 VNNI kernels" in portable.offload_sentence
    single = LoadedModel(info, 4096, 2, "CPU", 0, 18)
    assert single.offload_summary == "CPU build · 2 threads"
    cuda_on_cpu = LoadedModel(info, 4096, 4, "CUDA", 0, 18, cpu_kernels="AVX2")
    assert cuda_on_cpu.offload_summary == "CUDA build, CPU only · AVX2 kernels · 4 threads"
    assert CpuKernels().record == "built-in"

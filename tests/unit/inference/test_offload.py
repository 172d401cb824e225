"""Backend detection and the GPU-layer fallback: a fake loader that runs out of "GPU memory" above N layers."""

from __future__ import annotations

from pathlib import Path

import llama_cpp
import pytest

from desktop.inference import offload
from desktop.inference.backend import LoadedModel
from desktop.inference.offload import (
    build_backend,
    build_info,
    fallback_layers,
    load_with_fallback,
    possibly_out_of_memory,
)
from tests.fakes import fake_info

TOTAL = 26


class FakeLoader:
    """Loads when at most `fits` layers go to the GPU (-1 means all); records every attempt."""

    def __init__(self, fits: int, error: Exception | None = None) -> None:
        self.fits = fits
        self.error = error
        self.calls: list[int] = []

    def __call__(self, layers: int) -> str:
        self.calls.append(layers)
        if self.error is not None:
            raise self.error
        wanted = TOTAL if layers < 0 else layers
        if wanted > self.fits:
            raise ValueError("Failed to load model from file")  # what llama-cpp-python says for a full GPU
        return f"model with {wanted} layers"


def gpu(exc: Exception) -> bool:
    return possibly_out_of_memory("CUDA")(exc)


def test_all_layers_too_many_loads_with_fewer_and_says_so() -> None:
    loader = FakeLoader(fits=10)
    result = load_with_fallback(loader, -1, TOTAL, gpu)
    assert 0 < result.layers <= 10
    assert result.value == f"model with {result.layers} layers"
    assert result.attempts == (-1, 13, 6) and loader.calls == [-1, 13, 6]
    assert result.message.startswith("Not enough GPU memory for all 26 layers: loaded with 6 on the GPU "
                                     "and the rest on the CPU.")
    assert "Failed to load model from file" in result.message and "13" in result.message


def test_a_number_of_layers_halves_from_that_number() -> None:
    result = load_with_fallback(FakeLoader(fits=4), 20, TOTAL, gpu)
    assert result.attempts == (20, 10, 5, 2) and result.layers == 2
    assert "Not enough GPU memory for 20 of 26 layers" in result.message


def test_nothing_fits_on_the_gpu_loads_on_the_cpu_and_says_so() -> None:
    loader = FakeLoader(fits=0)
    result = load_with_fallback(loader, -1, TOTAL, gpu)
    assert result.layers == 0 and result.attempts == (-1, 13, 6, 3, 1, 0)
    assert "loaded on the CPU only" in result.message and "all 26 layers" in result.message


def test_a_load_that_fits_needs_one_attempt_and_no_message() -> None:
    loader = FakeLoader(fits=TOTAL)
    result = load_with_fallback(loader, -1, TOTAL, gpu)
    assert result.attempts == (-1,) and result.layers == -1 and result.message == ""


def test_requesting_no_gpu_layers_is_one_attempt_even_when_it_fails() -> None:
    loader = FakeLoader(fits=0, error=ValueError("Failed to load model from file"))
    with pytest.raises(ValueError):
        load_with_fallback(loader, 0, TOTAL, gpu)
    assert loader.calls == [0]
    ok = FakeLoader(fits=0)
    assert load_with_fallback(ok, 0, TOTAL, gpu).attempts == (0,) and ok.calls == [0]


def test_an_error_that_is_not_about_memory_is_raised_at_once() -> None:
    loader = FakeLoader(fits=0, error=OSError("permission denied"))
    with pytest.raises(OSError, match="permission denied"):
        load_with_fallback(loader, -1, TOTAL, gpu)
    assert loader.calls == [-1]
    missing = FakeLoader(fits=0, error=ValueError("Model path does not exist: /x.gguf"))
    with pytest.raises(ValueError, match="does not exist"):
        load_with_fallback(missing, -1, TOTAL, gpu)
    assert missing.calls == [-1]


def test_a_cpu_build_never_retries() -> None:
    loader = FakeLoader(fits=0)
    with pytest.raises(ValueError):
        load_with_fallback(loader, -1, TOTAL, possibly_out_of_memory("CPU"))
    assert loader.calls == [-1]


def test_when_even_the_cpu_fails_its_error_is_raised() -> None:
    class Broken(FakeLoader):
        def __call__(self, layers: int) -> str:
            self.calls.append(layers)
            raise ValueError("Failed to load model from file" if layers else "bad tensor data")

    loader = Broken(fits=0)
    with pytest.raises(ValueError, match="bad tensor data"):
        load_with_fallback(loader, 8, TOTAL, gpu)
    assert loader.calls == [8, 4, 2, 1, 0]


def test_fallback_steps() -> None:
    assert fallback_layers(-1, 26) == [13, 6, 3, 1, 0]
    assert fallback_layers(99, 26) == [13, 6, 3, 1, 0]  # more than the model has means all
    assert fallback_layers(1, 26) == [0]
    assert fallback_layers(-1, 0) == [0]  # layer count unknown: straight to the CPU


@pytest.fixture
def lib_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """llama_cpp as if installed in tmp_path: its lib/ folder is what the test puts there."""
    package = tmp_path / "llama_cpp"
    (package / "lib").mkdir(parents=True)
    monkeypatch.setattr(llama_cpp, "__file__", str(package / "__init__.py"))
    monkeypatch.setattr(llama_cpp, "llama_print_system_info", lambda: b"CPU : SSE3 = 1 | AVX2 = 1 | ")
    monkeypatch.setattr(offload.platform, "system", lambda: "Linux")
    return package / "lib"


@pytest.mark.parametrize(("library", "label"), [
    ("libggml-cuda.so", "CUDA"), ("ggml-vulkan.dll", "Vulkan"), ("libggml-metal.dylib", "Metal"),
    ("libggml-hip.so", "ROCm"),
])
def test_backend_from_the_shipped_ggml_library(lib_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                               library: str, label: str) -> None:
    for name in ("libggml-base.so", "libggml-cpu.so", "libllama.so", library):
        (lib_dir / name).touch()
    monkeypatch.setattr(llama_cpp, "llama_supports_gpu_offload", lambda: True)
    assert build_backend() == label
    monkeypatch.setattr(llama_cpp, "llama_supports_gpu_offload", lambda: False)
    assert build_backend() == "CPU"  # a GPU library that cannot offload (no device code) is still a CPU build


def test_backend_from_system_info_then_platform(lib_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (lib_dir / "libllama.so").touch()
    monkeypatch.setattr(llama_cpp, "llama_supports_gpu_offload", lambda: True)
    monkeypatch.setattr(llama_cpp, "llama_print_system_info", lambda: b"CUDA : ARCHS = 890 | CPU : AVX2 = 1 | ")
    assert build_backend() == "CUDA"
    monkeypatch.setattr(llama_cpp, "llama_print_system_info", lambda: b"CPU : AVX2 = 1 | ")
    assert build_backend() == "GPU"
    monkeypatch.setattr(offload.platform, "system", lambda: "Darwin")
    assert build_backend() == "Metal"  # Apple's builds embed Metal in libggml


def test_build_info_of_this_build() -> None:
    info = build_info()
    assert info.gpu_offload == bool(llama_cpp.llama_supports_gpu_offload())
    assert info.llama_cpp_version == llama_cpp.__version__ and "CPU" in info.system_info
    assert ("no GPU support" in info.description) == (not info.gpu_offload)


def loaded(backend: str, layers: int, notice: str = "") -> LoadedModel:
    return LoadedModel(fake_info(Path("m.gguf")), 4096, 2, backend, layers, TOTAL, notice)


def test_summaries_name_the_build_and_where_the_layers_are() -> None:
    assert loaded("CPU", 0).offload_summary == "CPU build · 2 threads"
    assert loaded("CUDA", 26).offload_summary == "CUDA · 26/26 layers on GPU"
    assert loaded("CUDA", 0).offload_summary == "CUDA build, CPU only · 2 threads"
    assert loaded("CPU", 0).offload_sentence == "Running on the CPU (this build has no GPU support)"
    assert loaded("Vulkan", 13).offload_sentence == "Using Vulkan with 13 of 26 layers on the GPU"
    assert loaded("CPU", 0).notice == ""

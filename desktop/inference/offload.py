"""Which llama.cpp backend this build has, and loading with fewer GPU layers when the GPU runs out of memory.

llama-cpp-python reports every load failure as ValueError("Failed to load model from file") (or "Failed to create
llama_context"), whatever the cause, so an out-of-memory failure cannot be told apart from a bad file for sure.
`load_with_fallback` therefore treats a failure with layers on the GPU of a GPU build as *possibly* a lack of
video memory: it retries with half the layers, and finally with none (CPU only), and says what it did.
"""

from __future__ import annotations

import gc
import platform
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import llama_cpp

from desktop.core.i18n import translate
from desktop.inference.llama.kernels import CpuKernels, CpuKernelsError, load_backends

T = TypeVar("T")

CPU = "CPU"
# (needle in a ggml library's file name or in llama.cpp's system info, label), first match wins.
_BACKENDS = (("cuda", "CUDA"), ("metal", "Metal"), ("vulkan", "Vulkan"), ("hip", "ROCm"), ("rocm", "ROCm"),
             ("sycl", "SYCL"))


@dataclass(frozen=True)
class BuildInfo:
    """What the About dialog and the first-run page say about the llama.cpp this build runs."""

    backend: str  # "CPU", "CUDA", "Metal", "Vulkan", ...
    gpu_offload: bool
    llama_cpp_version: str
    system_info: str  # llama.cpp's own one-line summary of the backends and CPU features it was built with
    cpu_kernels: CpuKernels | None = None  # the CPU kernels loaded at run time; None when none could be

    @property
    def description(self) -> str:
        if not self.gpu_offload:
            return translate("Offload", "CPU only (this build of llama.cpp has no GPU support)")
        return translate("Offload", "{backend} (GPU offload supported)").format(backend=self.backend)


def _library_names() -> str:
    """The file names of the libraries shipped inside llama_cpp (libggml-cuda.so, ggml-vulkan.dll, ...)."""
    lib_dir = Path(llama_cpp.__file__).parent / "lib"
    return " ".join(p.name.lower() for p in lib_dir.iterdir()) if lib_dir.is_dir() else ""


def _system_info() -> str:
    try:
        raw = llama_cpp.llama_print_system_info()
    except (AttributeError, OSError):  # an older or stripped build
        return ""
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def build_backend() -> str:
    """The GPU backend this llama.cpp build offloads to, or "CPU": the one place Parley decides it.

    `llama_supports_gpu_offload()` says whether there is a GPU backend at all; which one is read from the ggml
    libraries shipped with llama_cpp, then from llama.cpp's system info; Apple's default build is Metal.
    """
    loaded_kernels()  # a portable build's backends are libraries loaded at run time: before asking about them
    if not llama_cpp.llama_supports_gpu_offload():
        return CPU
    names, info = _library_names(), _system_info().lower()
    for needle, label in _BACKENDS:
        if needle in names:
            return label
    for needle, label in _BACKENDS:
        if f"{needle} :" in info:  # "CUDA : ARCHS = 890 | ... | CPU : SSE3 = 1 | ..."
            return label
    return "Metal" if platform.system() == "Darwin" else "GPU"


def loaded_kernels() -> CpuKernels | None:
    """The CPU kernels in use (loading them the first time); None when none can run here (the load says why)."""
    try:
        return load_backends()
    except CpuKernelsError:
        return None


def build_info() -> BuildInfo:
    backend = build_backend()
    return BuildInfo(backend, backend != CPU, str(getattr(llama_cpp, "__version__", "unknown")), _system_info(),
                     loaded_kernels())


@dataclass(frozen=True)
class FallbackResult(Generic[T]):
    value: T
    layers: int  # what the successful attempt asked for (-1: all)
    attempts: tuple[int, ...]  # every layer count tried, in order, the successful one last
    message: str  # "" when the requested layers loaded; else what failed and what Parley did instead


def _describe(requested: int, total: int) -> str:
    if requested < 0 or (total and requested >= total):
        if total:
            return translate("Offload", "all {total} layers").format(total=total)
        return translate("Offload", "all layers")
    if total:
        return translate("Offload", "{requested} of {total} layers").format(requested=requested, total=total)
    return translate("Offload", "{requested} layers").format(requested=requested)


def fallback_layers(requested: int, total_layers: int) -> list[int]:
    """The layer counts to try after `requested` failed: halving down to 1, then 0 (CPU only)."""
    everything = requested < 0 or 0 < total_layers < requested
    layers = (total_layers if everything else requested) // 2
    steps = []
    while layers >= 1:
        steps.append(layers)
        layers //= 2
    return [*steps, 0]


def possibly_out_of_memory(backend: str) -> Callable[[Exception], bool]:
    """On a GPU build, any llama.cpp load error may be a lack of video memory: llama-cpp-python raises the same
    ValueError for a full GPU as for a damaged file; a missing file or a CPU build is never about the GPU."""

    def check(exc: Exception) -> bool:
        if backend == CPU or "does not exist" in str(exc):
            return False
        return isinstance(exc, (ValueError, RuntimeError, MemoryError))

    return check


def load_with_fallback(
    load: Callable[[int], T],
    requested: int,
    total_layers: int,
    is_memory_error: Callable[[Exception], bool],
) -> FallbackResult[T]:
    """load(requested); when that fails in a way that may be a lack of GPU memory, try fewer layers.

    A failure with 0 layers, or one `is_memory_error` rules out, is raised at once: it is not about the GPU.
    If even the CPU-only attempt fails, its error is raised (the GPU was not the problem after all).
    Only the error's text is kept between attempts: the exception would keep the failed attempt's objects alive.
    """
    try:
        return FallbackResult(load(requested), requested, (requested,), "")
    except Exception as exc:  # llama.cpp's failures have no common type: classified here, the rest re-raised
        if requested == 0 or not is_memory_error(exc):
            raise
        first_error = str(exc) or type(exc).__name__
    attempts = [requested]
    for layers in fallback_layers(requested, total_layers):
        gc.collect()  # a half-created model may hold GPU buffers in reference cycles
        attempts.append(layers)
        try:
            value = load(layers)
        except Exception as exc:  # as above: classified, the rest re-raised
            if layers == 0 or not is_memory_error(exc):
                raise
            continue
        message = _fallback_message(requested, total_layers, attempts, first_error)
        return FallbackResult(value, layers, tuple(attempts), message)
    raise AssertionError("unreachable: the last attempt (0 layers) returns or raises")


def _fallback_message(requested: int, total: int, attempts: list[int], error: str) -> str:
    wanted = _describe(requested, total)
    layers, failed = attempts[-1], [str(a) for a in attempts[1:-1]]
    nor = ""
    if failed:
        if len(failed) == 1:
            nor = translate("Offload", ", nor with {layers}").format(layers=failed[0])
        else:
            nor = translate("Offload", ", nor with {layers} or {last}").format(
                layers=translate("Offload", ", ").join(failed[:-1]), last=failed[-1])
    detail = translate("Offload", "(llama.cpp could not load it with {wanted} on the GPU{nor}: “{error}”. To skip "
                       "these attempts next time, set fewer GPU layers for this model on the Models page.)").format(
        wanted=wanted, nor=nor, error=error)
    if layers == 0:
        return translate("Offload", "Not enough GPU memory for {wanted}: loaded on the CPU only, which is slower. "
                         "{detail}").format(wanted=wanted, detail=detail)
    return translate("Offload", "Not enough GPU memory for {wanted}: loaded with {layers} on the GPU and the rest on "
                     "the CPU. {detail}").format(wanted=wanted, layers=layers, detail=detail)

"""Which of llama.cpp's CPU kernel libraries runs on this computer, and loading the backends of a portable build.

A portable build (packaging/install-llama.sh: GGML_BACKEND_DL + GGML_CPU_ALL_VARIANTS) ships the CPU kernels once
per instruction set, libggml-cpu-<variant>.so (x64, sse42, haswell, skylakex, icelake, zen4, sapphirerapids, …), and
no backend linked in (its GPU backend, if any, is a library of its own too): someone must load them before the
first model. llama.cpp's own tools call
ggml_backend_load_all(); llama-cpp-python does not. `load_backends` does, with one difference from ggml's choice:
ggml ranks the variants by what CPUID reports (each library's ggml_backend_score), but a CPU can report AVX-512 or
AMX while the operating system (or a hypervisor) does not save those registers; the kernels then die with SIGILL.
So a variant is a candidate only when the OS has enabled the register state its instructions use: on Linux the
kernel lists only the enabled features in /proc/cpuinfo, and AMX also needs arch_prctl(ARCH_REQ_XCOMP_PERM).

A build with a single CPU library (PARLEY_CPU_VARIANTS=off, a native build, Apple) has nothing to choose: it reports
itself as such. PARLEY_CPU_VARIANT=haswell (say) forces a variant, to test the others on one machine.
"""

from __future__ import annotations

import ctypes
import os
import platform
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import llama_cpp

from desktop.core.i18n import translate

LIB_DIR = Path(llama_cpp.__file__).parent / "lib"
FORCE_ENV = "PARLEY_CPU_VARIANT"
_VARIANT_FILE = re.compile(r"^(?:lib)?ggml-cpu-([\w.]+?)\.(?:so|dll|dylib)$")
_BACKEND_FILE = re.compile(r"^(?:lib)?ggml-(\w+)\.(?:so|dll|dylib)$")

# What each x86 variant's kernels need the OS to have enabled (Linux /proc/cpuinfo flag names), by register state:
# YMM for AVX/AVX2, ZMM and opmask for AVX-512, tile data for AMX. Variants not listed need nothing beyond SSE.
_AVX = frozenset({"avx"})
_AVX512 = _AVX | {"avx512f"}
_AMX = _AVX512 | {"amx_tile", "amx_int8"}
_NEEDS_OS = {
    "sandybridge": _AVX, "ivybridge": _AVX, "piledriver": _AVX, "haswell": _AVX, "alderlake": _AVX,
    "skylakex": _AVX512, "cannonlake": _AVX512, "cascadelake": _AVX512, "icelake": _AVX512, "cooperlake": _AVX512,
    "zen4": _AVX512, "sapphirerapids": _AMX,
}
# The instruction set a variant's kernels are named after, for the status bar and run records.
_LABELS = {
    "x64": "x86-64", "sse42": "SSE4.2", "sandybridge": "AVX", "ivybridge": "AVX", "piledriver": "AVX + FMA",
    "haswell": "AVX2", "alderlake": "AVX2 + AVX-VNNI", "skylakex": "AVX-512", "cannonlake": "AVX-512",
    "cascadelake": "AVX-512 VNNI", "icelake": "AVX-512 VNNI", "cooperlake": "AVX-512 BF16", "zen4": "AVX-512 BF16",
    "sapphirerapids": "AMX",
}
_ARCH_PRCTL = 158  # x86-64 syscall number
_ARCH_REQ_XCOMP_PERM = 0x1023
_XFEATURE_XTILEDATA = 18


class CpuKernelsError(RuntimeError):
    """No CPU kernel library of this build can run here (or the forced one is missing): llama.cpp cannot load a
    model. str() says which variants there are and what to do."""


@dataclass(frozen=True)
class CpuKernels:
    """The CPU kernels in use: the variant's name ("icelake"; "" for a build with one CPU library) and what the
    choice was among."""

    variant: str = ""
    label: str = ""  # "AVX-512 VNNI"; "" for a build with one CPU library
    shipped: tuple[str, ...] = ()  # every variant in this build
    usable: dict[str, int] = field(default_factory=dict)  # the variants this CPU and OS can run, with ggml's score
    forced: bool = False

    @property
    def record(self) -> str:
        """For run records and the About dialog: "icelake (AVX-512 VNNI)", or "built-in" for a single library."""
        if not self.variant:
            return "built-in"
        return f"{self.variant} ({self.label})" + (" forced" if self.forced else "")


def variant_files(folder: Path = LIB_DIR) -> dict[str, Path]:
    """The CPU kernel libraries of a portable build, by variant name ({} for a build with one CPU library)."""
    found = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        match = _VARIANT_FILE.match(path.name)
        if match:
            found[match.group(1)] = path
    return found


def os_flags() -> frozenset[str] | None:
    """The CPU features the OS has enabled, as Linux lists them; None where it cannot be read (then CPUID decides)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    match = re.search(r"^flags\s*:\s*(.*)$", text, re.MULTILINE)
    return frozenset(match.group(1).split()) if match else None


def amx_permitted() -> bool:
    """Linux hands out AMX's tile registers only on request; a VM that does not expose them refuses."""
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return int(libc.syscall(_ARCH_PRCTL, _ARCH_REQ_XCOMP_PERM, _XFEATURE_XTILEDATA)) == 0


def os_allows(variant: str, flags: frozenset[str] | None) -> bool:
    needs = _NEEDS_OS.get(variant, frozenset())
    if flags is not None and not needs <= flags:
        return False
    return "amx_tile" not in needs or amx_permitted()


def _score(path: Path) -> int:
    """ggml's own rank of a variant on this CPU (0: its instructions are missing), read without registering it."""
    library = ctypes.CDLL(str(path))
    try:
        score = getattr(library, "ggml_backend_score", None)
        if score is None:
            return 0
        score.restype = ctypes.c_int
        score.argtypes = []
        return int(score())
    finally:
        _close(library)


def _close(library: ctypes.CDLL) -> None:
    if sys.platform != "win32":
        import _ctypes

        _ctypes.dlclose(library._handle)


def choose(files: dict[str, Path], flags: frozenset[str] | None, forced: str = "",
           score: Callable[[Path], int] = _score) -> CpuKernels:
    """The variant to load: the forced one, else the best-scored one the OS allows."""
    shipped = tuple(files)
    if forced:
        if forced not in files:
            raise CpuKernelsError(translate("CpuKernels", "{setting}, but this build's CPU kernels are: {names}.")
                                  .format(setting=f"{FORCE_ENV}={forced}", names=", ".join(shipped)))
        return CpuKernels(forced, _LABELS.get(forced, forced), shipped, {}, forced=True)
    usable = {name: s for name, path in files.items() if os_allows(name, flags) and (s := score(path)) > 0}
    if not usable:
        raise CpuKernelsError(translate("CpuKernels", "None of this build's CPU kernels ({names}) can run on this "
                                        "CPU. Reinstall Parley, or build llama.cpp on this computer "
                                        "(PARLEY_NATIVE=on).").format(names=", ".join(shipped)))
    best = max(usable, key=lambda name: usable[name])
    return CpuKernels(best, _LABELS.get(best, best), shipped, usable)


def backend_modules(folder: Path = LIB_DIR) -> list[Path]:
    """The GPU backends of a build whose backends are loaded at run time (libggml-cuda.so, ggml-vulkan.dll, …)."""
    found = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        match = _BACKEND_FILE.match(path.name)
        if match and match.group(1) not in ("base", "cpu") and not _VARIANT_FILE.match(path.name):
            found.append(path)
    return found


class _Loaded:
    """What this process loaded: llama.cpp's backend registry is per process, so it is filled once."""

    lock = threading.Lock()
    kernels: CpuKernels | None = None


def load_backends(folder: Path = LIB_DIR) -> CpuKernels:
    """Register the best CPU kernels, and the GPU backends, of a build that loads them at run time, with llama.cpp
    (once per process, before the first model or the first question about the GPU); CpuKernelsError when no CPU
    kernels can run. A build with everything linked in has nothing to load."""
    with _Loaded.lock:
        if _Loaded.kernels is not None:
            return _Loaded.kernels
        files = variant_files(folder)
        if not files:
            _Loaded.kernels = CpuKernels()
            return _Loaded.kernels
        kernels = choose(files, os_flags(), os.environ.get(FORCE_ENV, "").strip())
        if not _register(files[kernels.variant]):
            raise CpuKernelsError(translate("CpuKernels", "llama.cpp could not load its {variant} CPU kernels "
                                            "({path}). Reinstall Parley.").format(
                variant=kernels.variant, path=files[kernels.variant]))
        for module in backend_modules(folder):
            _register(module)  # a GPU backend without its GPU or driver registers nothing: the CPU runs
        _Loaded.kernels = kernels
        return kernels


def _register(path: Path) -> bool:
    # Through llama_cpp's own handle: the registry is in the libggml that libllama loaded (a wheel holds copies,
    # not links, of libggml.so and libggml.so.0, and opening the other would make a second registry).
    register = llama_cpp.llama_cpp._lib.ggml_backend_load
    register.restype = ctypes.c_void_p
    register.argtypes = [ctypes.c_char_p]
    return bool(register(str(path).encode()))

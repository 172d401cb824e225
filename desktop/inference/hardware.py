"""What this machine and this llama.cpp build offer: physical cores, GPU backend."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

import llama_cpp


def physical_cores() -> int:
    """Physical cores: llama.cpp runs fastest with one thread per core, not one per hyper-thread."""
    system = platform.system()
    try:
        if system == "Linux":
            # Each core lists the logical CPUs it runs; distinct lists = physical cores (x86 and Arm alike).
            siblings = {
                p.read_text().strip()
                for p in Path("/sys/devices/system/cpu").glob("cpu[0-9]*/topology/thread_siblings_list")
            }
            if siblings:
                return len(siblings)
        elif system == "Darwin":
            out = subprocess.run(["sysctl", "-n", "hw.physicalcpu"], capture_output=True, text=True, check=True)
            return max(1, int(out.stdout.strip()))
    except (OSError, ValueError, subprocess.SubprocessError):
        pass
    return max(1, os.cpu_count() or 1)


_BACKEND_LIBRARIES = (("cuda", "CUDA"), ("metal", "Metal"), ("vulkan", "Vulkan"), ("hip", "ROCm"), ("sycl", "SYCL"))


def gpu_backend() -> str:
    """The build's GPU backend by the ggml libraries shipped with llama_cpp, or "CPU"."""
    if not llama_cpp.llama_supports_gpu_offload():
        return "CPU"
    lib_dir = Path(llama_cpp.__file__).parent / "lib"
    names = " ".join(p.name.lower() for p in lib_dir.glob("*")) if lib_dir.is_dir() else ""
    for needle, label in _BACKEND_LIBRARIES:
        if needle in names:
            return label
    return "Metal" if platform.system() == "Darwin" else "GPU"


def free_vram() -> int | None:
    """Free video memory in bytes on a CUDA build (from nvidia-smi), else None: the fit label then uses RAM."""
    if gpu_backend() != "CUDA":
        return None
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=memory.free", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, check=True, timeout=5,
        )
        return int(out.stdout.split()[0]) * 1024 * 1024
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return None

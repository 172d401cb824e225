"""What this machine and this llama.cpp build offer: physical cores, GPU backend."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

import llama_cpp


def physical_cores() -> int:
    """Physical cores: llama.cpp runs fastest with one thread per core, not per hyper-thread."""
    system = platform.system()
    try:
        if system == "Linux":
            cores: set[tuple[str, str]] = set()
            physical = core = ""
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key == "physical id":
                    physical = value
                elif key == "core id":
                    core = value
                elif not line.strip() and core:
                    cores.add((physical, core))
                    physical = core = ""
            if core:
                cores.add((physical, core))
            if cores:
                return len(cores)
        elif system == "Darwin":
            out = subprocess.run(["sysctl", "-n", "hw.physicalcpu"], capture_output=True, text=True, check=True)
            return max(1, int(out.stdout.strip()))
    except (OSError, ValueError, subprocess.SubprocessError):
        pass
    return max(1, (os.cpu_count() or 2) // 2)


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

"""What this machine offers: physical cores, free video memory (the build's backend: offload.build_backend)."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

from desktop.inference.offload import build_backend


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


def free_vram() -> int | None:
    """Free video memory in bytes on a CUDA build (from nvidia-smi), else None: the fit label then uses RAM."""
    if build_backend() != "CUDA":
        return None
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=memory.free", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, check=True, timeout=5,
        )
        return int(out.stdout.split()[0]) * 1024 * 1024
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return None

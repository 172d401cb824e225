"""Thread and backend defaults read from this machine and this llama.cpp build."""

from __future__ import annotations

import os

import llama_cpp

from desktop.inference.hardware import physical_cores
from desktop.inference.offload import build_backend


def test_physical_cores_is_between_one_and_logical_cpus() -> None:
    assert 1 <= physical_cores() <= (os.cpu_count() or 1)


def test_backend_label_matches_the_build() -> None:
    label = build_backend()
    assert label in {"CPU", "CUDA", "Metal", "Vulkan", "ROCm", "SYCL", "GPU"}
    assert (label == "CPU") == (not llama_cpp.llama_supports_gpu_offload())

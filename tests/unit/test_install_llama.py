"""The llama.cpp build follows the machine: CUDA only with a GPU *and* nvcc, overridable by PARLEY_GPU."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "install-llama.sh"


def fake_tool(folder: Path, name: str, output: str) -> None:
    tool = folder / name
    tool.write_text(f"#!/bin/sh\necho '{output}'\n")
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)


def detect(tmp_path: Path, tools: dict[str, str], **env: str) -> subprocess.CompletedProcess[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, output in tools.items():
        fake_tool(bin_dir, name, output)
    system_bins = "/usr/bin:/bin"
    clean = {k: v for k, v in os.environ.items() if k not in ("PARLEY_GPU", "PARLEY_NATIVE")}
    clean.update(env, PATH=f"{bin_dir}:{system_bins}")
    return subprocess.run(["bash", str(SCRIPT), "--print-backend"], capture_output=True, text=True, env=clean)


@pytest.mark.skipif(os.uname().sysname == "Darwin", reason="Apple Silicon builds Metal")
@pytest.mark.parametrize(
    ("tools", "expected"),
    [
        ({"nvidia-smi": "GPU 0: NVIDIA H100 (UUID: GPU-1)", "nvcc": "release 12"}, "cuda -DGGML_CUDA=on"),
        ({"nvcc": "release 12"}, "cpu"),  # a compiler without a GPU is no reason for CUDA
        ({"nvidia-smi": "No devices were found", "nvcc": "release 12"}, "cpu"),
        ({"nvidia-smi": "GPU 0: NVIDIA H100 (UUID: GPU-1)"}, "cpu"),  # a GPU but no toolkit to build with
    ],
)
def test_backend_follows_the_machine(tmp_path: Path, tools: dict[str, str], expected: str) -> None:
    out = detect(tmp_path, tools)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(expected)
    assert "-DGGML_NATIVE=off" in out.stdout


def test_override_and_native_opt_in(tmp_path: Path) -> None:
    out = detect(tmp_path, {}, PARLEY_GPU="vulkan", PARLEY_NATIVE="on")
    assert out.stdout.split() == ["vulkan", "-DGGML_VULKAN=on", "-DGGML_NATIVE=on"]


def test_unknown_override_is_refused(tmp_path: Path) -> None:
    out = detect(tmp_path, {}, PARLEY_GPU="tpu")
    assert out.returncode != 0 and "PARLEY_GPU must be" in out.stderr


def variants(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PARLEY_GPU", "PARLEY_NATIVE", "PARLEY_CPU_VARIANTS")}
    clean.update(env)
    return subprocess.run(["bash", str(SCRIPT), "--print-variants"], capture_output=True, text=True, env=clean)


@pytest.mark.skipif(os.uname().sysname == "Darwin", reason="Apple builds one CPU library")
def test_portable_builds_carry_every_cpu_variant_unless_told_otherwise(tmp_path: Path) -> None:
    assert variants(tmp_path).stdout.strip() == "all"
    assert variants(tmp_path, PARLEY_NATIVE="on").stdout.strip() == "off"  # built for this CPU alone
    assert variants(tmp_path, PARLEY_CPU_VARIANTS="off").stdout.strip() == "off"
    refused = variants(tmp_path, PARLEY_CPU_VARIANTS="some")
    assert refused.returncode != 0 and "PARLEY_CPU_VARIANTS must be" in refused.stderr
    # llama-server is linked statically from the same options: the variant switches are not among them
    assert "GGML_BACKEND_DL" not in detect(tmp_path, {}).stdout

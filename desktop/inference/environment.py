"""What a run record says about the engine that produced it, so a replay can tell whether it ran the same one."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import llama_cpp

from desktop.core.instruments.experiment import parley_version
from desktop.inference.backend import LoadedModel
from desktop.inference.llama.backend import BATCH
from desktop.inference.offload import build_info
from desktop.inference.prompt_chunks import MAX_CHUNK, MIN_CHUNK


@functools.cache
def library_sha256() -> str:
    """The SHA-256 of the llama.cpp library this process runs: the build's identity. llama-cpp-python's source
    release vendors llama.cpp without its git history, so the build carries no commit of its own."""
    lib_dir = Path(llama_cpp.__file__).parent / "lib"
    found = sorted(lib_dir.glob("libllama.*")) + sorted(lib_dir.glob("llama.dll"))
    if not found:
        return "unknown"
    digest = hashlib.sha256()
    with open(found[0], "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def engine_environment(loaded: LoadedModel) -> dict[str, Any]:
    """Parley and engine versions, the backend and offload, threads, context and batch sizes, and the model file;
    for a model on a server, the server's kind, build or version and its model's identity instead."""
    if loaded.remote:
        return remote_environment(loaded)
    build = build_info()
    return {
        "parley": parley_version(),
        "engine": "llama.cpp",
        "llama_cpp_python": build.llama_cpp_version,
        "llama_cpp_library_sha256": library_sha256(),
        "system_info": build.system_info,
        "cpu_kernels": build.cpu_kernels.record if build.cpu_kernels else "none",
        "backend": loaded.backend,
        "gpu_layers": loaded.gpu_layers,
        "total_layers": loaded.total_layers,
        "threads": loaded.n_threads,
        "n_ctx": loaded.n_ctx,
        "n_batch": BATCH,
        "prompt_chunks": {"min": MIN_CHUNK, "max": MAX_CHUNK, "ends": "line breaks and control tokens"},
        "model_file": loaded.info.path.name,
        "quantization": loaded.info.quantization or "",
        "architecture": loaded.info.architecture,
    }


def remote_environment(loaded: LoadedModel) -> dict[str, Any]:
    """What identifies a server's run: its kind and build, where it is, and which model it served (never a key)."""
    capabilities = loaded.capabilities
    metadata = loaded.info.metadata
    return {
        "parley": parley_version(),
        "engine": str(metadata.get("engine.kind", loaded.backend)),
        "engine_name": loaded.engine,
        "engine_version": capabilities.version if capabilities else "",
        "engine_url": str(metadata.get("engine.url", "")),
        "reproducible": capabilities.reproducible if capabilities else False,
        "server_model": str(loaded.info.path).split("/", 1)[-1],
        "n_ctx": loaded.n_ctx,
        "model_file": str(metadata.get("server.model_path", "")) or loaded.info.name,
        "architecture": loaded.info.architecture,
    }

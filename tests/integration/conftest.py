"""One loaded built-in model for the integration tests that drive the llama.cpp backend directly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.inference.backend import LoadOptions
from desktop.inference.llama.backend import LlamaBackend


@pytest.fixture(scope="session")
def loaded_backend(builtin_model: Path) -> Iterator[LlamaBackend]:
    """Gemma 3 270M with a 2,048-token context, loaded once per test session."""
    llama = LlamaBackend()
    llama.load(builtin_model, LoadOptions(n_ctx=2048))
    yield llama
    llama.unload()


@pytest.fixture(scope="module")
def backend(loaded_backend: LlamaBackend) -> LlamaBackend:
    """The shared backend with an empty KV cache at the start of each module, as if freshly loaded."""
    loaded_backend.reset_cache()
    return loaded_backend

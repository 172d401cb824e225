"""The contract between Parley and a language-model runtime.

The worker drives any `InferenceBackend`; the real one wraps llama.cpp, test fakes subclass
this same class so they cannot drift from the contract.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.gguf_file import ModelInfo
from desktop.core.messages import GenerationStats
from desktop.core.sampling import SamplingParams


class InferenceError(Exception):
    """A failure the person can act on; str() is the message to show."""


@dataclass(frozen=True)
class LoadOptions:
    """None means the default: 4096 tokens of context (capped by the model), all layers on a GPU build,
    one thread per physical core."""

    n_ctx: int | None = None
    n_gpu_layers: int | None = None
    n_threads: int | None = None


@dataclass(frozen=True)
class LoadedModel:
    info: ModelInfo
    n_ctx: int
    n_threads: int
    backend: str  # "CPU", "CUDA", "Metal", "Vulkan"
    gpu_layers: int  # layers actually offloaded
    total_layers: int

    @property
    def offload_summary(self) -> str:
        if self.gpu_layers == 0:
            return f"{self.backend} · {self.n_threads} threads"
        return f"{self.backend} · {self.gpu_layers}/{self.total_layers} layers on GPU"


@dataclass(frozen=True)
class GenerationRequest:
    prompt: str
    params: SamplingParams
    stop: tuple[str, ...] = field(default_factory=tuple)
    # For chats: renders the prompt with the oldest k turns (after the system prompt) left out, so a
    # conversation longer than the context still gets a reply instead of an error.
    shorten: Callable[[int], str | None] | None = None


class InferenceBackend(ABC):
    """One loaded model at a time. All methods run on the inference thread."""

    @abstractmethod
    def load(self, path: Path, options: LoadOptions) -> LoadedModel:
        """Validate (before freeing the current model), then load; raise GGUFError or InferenceError
        and keep nothing half-loaded."""

    @abstractmethod
    def unload(self) -> None: ...

    @abstractmethod
    def is_loaded(self) -> bool:
        """False after a failed load that had to free the previous model first."""

    @abstractmethod
    def count_tokens(self, text: str) -> int:
        """Tokens the prompt text becomes, special tokens included."""

    @abstractmethod
    def generate(
        self, request: GenerationRequest, on_text: Callable[[str], None], should_stop: Callable[[], bool]
    ) -> GenerationStats:
        """Stream the reply through on_text; check should_stop after every token."""

    @abstractmethod
    def reset_cache(self) -> None:
        """Forget every cached prompt token, so the next generate evaluates its whole prompt (a cold start)."""

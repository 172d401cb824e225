"""A scripted backend implementing the real InferenceBackend contract, for fast widget tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from desktop.core.gguf_file import GGUFError, ModelInfo
from desktop.core.messages import GenerationStats
from desktop.inference.backend import GenerationRequest, InferenceBackend, LoadedModel, LoadOptions


def fake_info(path: Path, chat_template: str | None = None) -> ModelInfo:
    return ModelInfo(
        path=path, file_size=1, architecture="gemma3", name=path.stem, size_label="1M", quantization="Q4_K_M",
        context_length=8192, block_count=4, chat_template=chat_template, bos_token="<bos>", eos_token="<eos>",
        add_bos_token=True, tokenizer_pre="default", license=None, tensor_count=1, metadata={},
    )


class FakeBackend(InferenceBackend):
    """Replies with `reply` word by word, `delay` seconds per word; paths containing "bad" fail to load."""

    def __init__(self, reply: str = "Hello there, this is a **fake** reply.", delay: float = 0.0) -> None:
        self.reply = reply
        self.delay = delay
        self.requests: list[GenerationRequest] = []
        self.cache_resets = 0
        self.loaded: Path | None = None
        self.release = threading.Event()
        self.release.set()

    def load(self, path: Path, options: LoadOptions) -> LoadedModel:
        if "bad" in path.name:
            raise GGUFError(path, "it is not a GGUF model file")
        self.loaded = path
        return LoadedModel(fake_info(path), n_ctx=options.n_ctx or 4096, n_threads=2, backend="CPU",
                           gpu_layers=0, total_layers=4)

    def unload(self) -> None:
        self.loaded = None

    def is_loaded(self) -> bool:
        return self.loaded is not None

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def reset_cache(self) -> None:
        self.cache_resets += 1

    def generate(
        self, request: GenerationRequest, on_text: Callable[[str], None], should_stop: Callable[[], bool]
    ) -> GenerationStats:
        self.requests.append(request)
        self.release.wait(10)
        words = self.reply.split(" ")
        sent = 0
        stopped = False
        for i, word in enumerate(words):
            on_text(word if i == 0 else " " + word)
            sent += 1
            if self.delay:
                time.sleep(self.delay)
            if should_stop():
                stopped = True
                break
        return GenerationStats(self.count_tokens(request.prompt), 0, sent, 0.01, 100.0, stopped)

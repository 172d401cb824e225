"""A scripted backend implementing the real InferenceBackend contract, for fast widget tests."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from desktop.core.conversations.messages import GenerationStats
from desktop.core.fewshot.likelihood import ContinuationScore, ContinuationScores
from desktop.core.instruments.perplexity import ScoredToken, TextScore
from desktop.core.models.gguf_file import GGUFError, ModelInfo
from desktop.core.prompting.probabilities import Alternative, NextTokenDistribution, TokenPiece, TokenStep
from desktop.inference.backend import EngineCapabilities, GenerationRequest, InferenceBackend, LoadedModel, LoadOptions

FAKE_VOCAB = ("the", "a", "cat", "dog", "sat", "ran", "on", "mat", ".", "!")


def fake_logits() -> np.ndarray:
    """A fixed, readable distribution over FAKE_VOCAB: token 0 likeliest, falling off by one logit each."""
    return np.array([3.0 - i for i in range(len(FAKE_VOCAB))], dtype=np.float32)


def fake_step(index: int, piece: str, count: int) -> TokenStep:
    """Word i chosen with probability 0.5; alternatives 0.5, 0.25, 0.125 ... with the chosen word first."""
    alternatives = [Alternative(100 + index, piece, 0.5, 2.0)]
    alternatives += [Alternative(k, " " + FAKE_VOCAB[k], 0.5 ** (k + 2), 1.0 - k) for k in range(max(0, count - 1))]
    return TokenStep(100 + index, piece, 0.5, 1.5, tuple(alternatives))


def fake_info(path: Path, chat_template: str | None = None) -> ModelInfo:
    return ModelInfo(
        path=path, file_size=1, architecture="gemma3", name=path.stem, size_label="1M", quantization="Q4_K_M",
        context_length=8192, block_count=4, chat_template=chat_template, bos_token="<bos>", eos_token="<eos>",
        add_bos_token=True, tokenizer_pre="default", license=None, tensor_count=1, metadata={},
    )


class FakeBackend(InferenceBackend):
    """Replies with `reply` word by word, `delay` seconds per word; paths containing "bad" fail to load."""

    capabilities = EngineCapabilities(name="fake", loads_gguf_files=True, tokenizes=True, token_probabilities=True,
                                      scores_text=True, scores_continuations=True, fits_context=True)

    def __init__(self, reply: str = "Hello there, this is a **fake** reply.", delay: float = 0.0) -> None:
        self.reply = reply
        self.delay = delay
        self.requests: list[GenerationRequest] = []
        self.cache_resets = 0
        self.loaded: Path | None = None
        self.release = threading.Event()
        self.distribution_requests: list[tuple[str, tuple[int, ...]]] = []
        # "Most likely answer": each continuation's log-probability, from label_logprobs (keyed by the stripped
        # text) or, when set, scorer(prompt, continuation); anything else scores -len(text)
        self.label_logprobs: dict[str, float] = {}
        self.scorer: Callable[[str, str], float] | None = None
        self.continuation_requests: list[tuple[str, tuple[str, ...]]] = []
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
        self,
        request: GenerationRequest,
        on_text: Callable[[str], None],
        should_stop: Callable[[], bool],
        on_step: Callable[[TokenStep], None] | None = None,
    ) -> GenerationStats:
        self.requests.append(request)
        self.release.wait(10)
        words = self.reply.split(" ")
        sent = 0
        stopped = False
        for i, word in enumerate(words):
            piece = word if i == 0 else " " + word
            on_text(piece)
            if on_step is not None:
                on_step(fake_step(i, piece, request.alternatives))
            sent += 1
            if self.delay:
                time.sleep(self.delay)
            if should_stop():
                stopped = True
                break
        return GenerationStats(self.count_tokens(request.prompt), 0, sent, 0.01, 100.0, stopped)

    def token_pieces(self, text: str) -> list[TokenPiece]:
        """Words are tokens; "<...>" words are special."""
        pieces = []
        for i, word in enumerate(text.split(" ")):
            piece = word if i == 0 else " " + word
            pieces.append(TokenPiece(i, piece, word.startswith("<") and word.endswith(">")))
        return pieces

    def next_token_distribution(
        self, prompt: str, token_ids: Sequence[int] = (), context: str = "", chosen: int = -1
    ) -> NextTokenDistribution:
        self.distribution_requests.append((prompt, tuple(token_ids)))
        return NextTokenDistribution(fake_logits(), dict(enumerate(FAKE_VOCAB)), context, chosen)

    def continuation_logprobs(self, prompt: str, continuations: Sequence[str]) -> ContinuationScores:
        self.continuation_requests.append((prompt, tuple(continuations)))
        self.release.wait(10)
        if self.delay:
            time.sleep(self.delay)
        scores = []
        for text in continuations:
            if self.scorer is not None:
                logprob = self.scorer(prompt, text)
            else:
                logprob = self.label_logprobs.get(text.strip(), -float(len(text.strip())))
            scores.append(ContinuationScore(logprob, max(1, len(text.split()))))
        tokens = self.count_tokens(prompt)
        return ContinuationScores(tuple(scores), tokens, tokens)

    def score_text(
        self, text: str, on_progress: Callable[[int, int], None], should_stop: Callable[[], bool]
    ) -> TextScore:
        """Each word is a token; surprisal = its length in bits (the first word unscored)."""
        words = text.split()
        tokens = tuple(ScoredToken(i, (" " if i else "") + w, math.nan if i == 0 else float(len(w)))
                       for i, w in enumerate(words))
        on_progress(len(tokens), len(tokens))
        return TextScore(tokens, windows=1, n_ctx=4096, model="fake")

"""The engine the worker drives: models on this computer load into the in-process llama.cpp, models on a server
(``engine:NAME/MODEL`` paths) are reached through the remote backend. Whichever loaded last answers every request,
so the job queue, the session, Compare's borrowing and few-shot runs need not know where a model runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from desktop.core.conversations.messages import GenerationStats
from desktop.core.engines.config import is_remote
from desktop.core.fewshot.likelihood import ContinuationScores
from desktop.core.instruments.perplexity import TextScore
from desktop.core.prompting.probabilities import NextTokenDistribution, TokenPiece, TokenStep
from desktop.inference.backend import (
    EngineCapabilities,
    FittedPrompt,
    GenerationRequest,
    InferenceBackend,
    LoadedModel,
    LoadOptions,
)


class EngineRouter(InferenceBackend):
    def __init__(self, local: InferenceBackend, remote: InferenceBackend) -> None:
        self.local, self.remote = local, remote
        self._active = local

    def _capabilities(self) -> EngineCapabilities:
        return self._active.capabilities

    capabilities = property(_capabilities)  # the active engine's, not a class attribute

    def load(self, path: Path, options: LoadOptions) -> LoadedModel:
        """The other engine's model is let go only once the new one loaded: a server that is down leaves the
        local model in place (and the reverse)."""
        target = self.remote if is_remote(path) else self.local
        model = target.load(path, options)
        if target is not self._active:
            self._active.unload()
            self._active = target
        return model

    def unload(self) -> None:
        self._active.unload()

    def is_loaded(self) -> bool:
        return self._active.is_loaded()

    def count_tokens(self, text: str) -> int:
        return self._active.count_tokens(text)

    def generate(self, request: GenerationRequest, on_text: Callable[[str], None], should_stop: Callable[[], bool],
                 on_step: Callable[[TokenStep], None] | None = None) -> GenerationStats:
        return self._active.generate(request, on_text, should_stop, on_step)

    def fitted_prompt(self, request: GenerationRequest, should_stop: Callable[[], bool]) -> FittedPrompt:
        return self._active.fitted_prompt(request, should_stop)

    def token_pieces(self, text: str) -> list[TokenPiece]:
        return self._active.token_pieces(text)

    def next_token_distribution(self, prompt: str, token_ids: Sequence[int] = (), context: str = "",
                                chosen: int = -1) -> NextTokenDistribution:
        return self._active.next_token_distribution(prompt, token_ids, context, chosen)

    def continuation_logprobs(self, prompt: str, continuations: Sequence[str]) -> ContinuationScores:
        return self._active.continuation_logprobs(prompt, continuations)

    def score_text(self, text: str, on_progress: Callable[[int, int], None],
                   should_stop: Callable[[], bool]) -> TextScore:
        return self._active.score_text(text, on_progress, should_stop)

    def reset_cache(self) -> None:
        self._active.reset_cache()

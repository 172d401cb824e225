"""LlamaBackend.score_text with the real Gemma 3 270M: reproducible, sensitive to word order, windowed."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from desktop.core.instruments.perplexity import TextScore
from desktop.inference.backend import LoadOptions
from desktop.inference.llama.backend import LlamaBackend

pytestmark = pytest.mark.integration

PARAGRAPH = (
    "The library opens at nine in the morning and closes at six in the evening. Visitors may borrow up to five "
    "books at a time, and each loan lasts for three weeks. Books can be renewed online or at the front desk, "
    "unless another reader has reserved them. Late returns are charged a small fee for every day they are overdue."
)


def shuffled(text: str, seed: int = 7) -> str:
    words = text.split()
    random.Random(seed).shuffle(words)
    return " ".join(words)


def score(backend: LlamaBackend, text: str) -> tuple[TextScore, list[tuple[int, int]]]:
    progress: list[tuple[int, int]] = []
    result = backend.score_text(text, lambda done, total: progress.append((done, total)), lambda: False)
    return result, progress


def test_a_paragraph_scores_the_same_twice_and_better_than_its_words_shuffled(backend: LlamaBackend) -> None:
    first, progress = score(backend, PARAGRAPH)
    again, _ = score(backend, PARAGRAPH)
    assert first.windows == 1 and first.n_ctx == 2048 and not first.stopped
    assert math.isnan(first.tokens[0].surprisal)
    assert all(math.isfinite(t.surprisal) and t.surprisal >= 0 for t in first.tokens[1:])
    assert 1.0 < first.perplexity < 100.0, first.perplexity  # fluent English to a small model
    assert math.isclose(again.perplexity, first.perplexity, rel_tol=1e-6)
    assert [t.token_id for t in again.tokens] == [t.token_id for t in first.tokens]
    assert "".join(t.text for t in first.tokens) == PARAGRAPH  # the heat map shows exactly the text
    assert progress[-1] == (len(first.tokens) - 1, len(first.tokens) - 1)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)

    mixed, _ = score(backend, shuffled(PARAGRAPH))
    assert mixed.perplexity > 1.5 * first.perplexity, (mixed.perplexity, first.perplexity)


def test_a_text_longer_than_the_context_is_scored_in_windows(builtin_model: Path) -> None:
    llama = LlamaBackend()
    try:
        llama.load(builtin_model, LoadOptions(n_ctx=256))
        text = " ".join([PARAGRAPH] * 5)  # about 330 tokens: more than one 256-token window
        result, progress = score(llama, text)
        assert result.n_ctx == 256 and result.windows > 1 and len(result.tokens) > 256
        assert math.isnan(result.tokens[0].surprisal)
        assert all(math.isfinite(t.surprisal) for t in result.tokens[1:])
        assert progress[-1][0] == progress[-1][1] == len(result.tokens) - 1
        # The paragraph repeats: once seen, the model predicts it far better than the first time.
        first = len(result.tokens) // 5
        head = sum(t.surprisal for t in result.tokens[1:first]) / (first - 1)
        tail = sum(t.surprisal for t in result.tokens[-first:]) / first
        assert tail < head / 2, (head, tail)
    finally:
        llama.unload()


def test_stop_returns_the_tokens_scored_so_far(backend: LlamaBackend) -> None:
    progress: list[tuple[int, int]] = []
    text = " ".join([PARAGRAPH] * 2)  # about 135 tokens: more than one batch

    result = backend.score_text(text, lambda done, total: progress.append((done, total)), lambda: bool(progress))
    assert len(progress) == 1 and progress[0][0] < progress[0][1]  # stopped after the first batch
    assert result.stopped and len(result.tokens) == progress[0][0] + 1
    assert math.isnan(result.tokens[0].surprisal)
    assert all(math.isfinite(t.surprisal) for t in result.tokens[1:])

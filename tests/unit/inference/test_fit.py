"""Leaving out the oldest turns: the fewest that make the prompt fit, found with few renders."""

from __future__ import annotations

import pytest

from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest
from desktop.inference.llama.backend import LlamaBackend


class WordBackend(LlamaBackend):
    """Counts one token per word so the arithmetic is visible."""

    def tokenize(self, text: str) -> list[int]:
        return list(range(len(text.split())))


def chat(turns: int, words_per_turn: int = 10) -> tuple[str, list[int]]:
    renders: list[int] = []

    def shorten(k: int) -> str | None:
        renders.append(k)
        if k >= turns:  # the newest turn always stays
            return None
        return " ".join(["w"] * words_per_turn * (turns - k))

    return shorten(0) or "", renders, shorten  # type: ignore[return-value]


@pytest.mark.parametrize("turns", [3, 40, 1000])
def test_fewest_dropped_turns(turns: int) -> None:
    prompt, renders, shorten = chat(turns)  # type: ignore[misc]
    renders.clear()
    request = GenerationRequest(prompt, SamplingParams(max_tokens=50), shorten=shorten)
    tokens, dropped = WordBackend()._fit(request, n_ctx=400)
    assert len(tokens) + 50 <= 400
    assert dropped == max(0, turns - 35)  # 35 turns of 10 words + 50 reserved = 400
    assert len(renders) <= 3 * max(1, turns).bit_length() + 3  # logarithmic, not one render per turn


def test_nothing_droppable_keeps_the_shortest() -> None:
    prompt, _renders, shorten = chat(3, words_per_turn=300)  # type: ignore[misc]
    tokens, dropped = WordBackend()._fit(GenerationRequest(prompt, SamplingParams(max_tokens=50), shorten=shorten),
                                         n_ctx=400)
    assert dropped == 2 and len(tokens) == 300  # only the newest turn left; generate() then says it is too long

"""Fitting a long chat into the context: leave out the fewest oldest turns, found with a few renders."""

from __future__ import annotations

from collections.abc import Callable

from desktop.inference.backend import GenerationRequest


def fit_prompt(tokenize: Callable[[str], list[int]], request: GenerationRequest, n_ctx: int) -> tuple[list[int], int]:
    """The prompt's tokens and how many turns were left out, so that a reply of reasonable length fits."""
    tokens = tokenize(request.prompt)
    reserve = min(request.params.max_tokens, n_ctx // 4)
    shorten = request.shorten
    if shorten is None or len(tokens) + reserve <= n_ctx:
        return tokens, 0

    def attempt(k: int) -> list[int] | None:
        text = shorten(k)
        return None if text is None else tokenize(text)

    # Doubling, then bisection over k: a long chat costs a few renders, not one per dropped turn.
    low, high = 1, 1
    while (candidate := attempt(high)) is not None and len(candidate) + reserve > n_ctx:
        low, high = high + 1, high * 2
    if candidate is None:  # past the droppable turns: bisect for the most that can be dropped
        valid, invalid = low - 1, high
        while invalid - valid > 1:
            middle = (valid + invalid) // 2
            if attempt(middle) is None:
                invalid = middle
            else:
                valid = middle
        candidate = attempt(valid) if valid >= 1 else None
        if candidate is None:
            return tokens, 0
        if len(candidate) + reserve > n_ctx or valid < low:  # even that is too long: generate() says so
            return candidate, valid
        high = valid
    best = (candidate, high)
    while low < best[1]:
        middle = (low + best[1]) // 2
        trial = attempt(middle)
        if trial is not None and len(trial) + reserve <= n_ctx:
            best = (trial, middle)
        else:
            low = middle + 1
    return best

"""Fitting a long chat into the context: leave out the oldest turns, counting tokens turn by turn from the newest.

A `ChatShortener` request is fitted without ever tokenising the whole history: each turn's token count comes from
a cache (the turn's rendered text is the key), the walk from the newest turn backwards stops as soon as the context
is full, the fitted text alone is tokenised for the prompt, and the walk can be stopped between turns. Any other
`shorten` callable gets the doubling-and-bisection search over whole renders.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop.core.i18n import translate
from desktop.core.prompting.context_window import ANCHOR_CHARS_PER_TOKEN, ChatShortener
from desktop.inference.backend import GenerationRequest, InferenceError
from desktop.inference.token_counts import TokenCounts

SLACK = 8  # tokens a per-turn estimate may be off from the fitted prompt's own tokenisation


class StoppedError(InferenceError):
    """Stop (or quitting) came while the chat was being fitted."""

    def __init__(self) -> None:
        super().__init__(translate("InferenceError", "Stopped before the model began its reply."))


class PromptTooLongError(InferenceError):
    """Even the shortest prompt (system prompt and newest message) has more tokens than the context."""

    def __init__(self, at_least: int, n_ctx: int, dropped: int, message_alone: bool = False) -> None:
        if message_alone:  # no leaving out of older turns can help: say that the message is the problem
            text = translate("InferenceError", "Your message alone is more than {at_least:,} tokens, longer than the "
                             "model's whole context ({n_ctx:,} tokens), so the model cannot read it. Shorten it or "
                             "split it over several messages, or load the model with a longer context (Models "
                             "page).").format(at_least=at_least, n_ctx=n_ctx)
        else:
            text = translate("InferenceError", "The prompt is more than {at_least:,} tokens but the context holds "
                             "{n_ctx:,}. Shorten the message or the system prompt, or start a new chat.").format(
                at_least=at_least, n_ctx=n_ctx)
        super().__init__(text)
        self.at_least = at_least
        self.dropped = dropped


def reserve_for(request: GenerationRequest, n_ctx: int) -> int:
    """Tokens kept free for the reply when leaving turns out."""
    return min(request.params.max_tokens, n_ctx // 4)


def fit_request(tokenize: Callable[[str], list[int]], counts: TokenCounts, request: GenerationRequest, n_ctx: int,
                should_stop: Callable[[], bool]) -> tuple[list[int], int]:
    """The prompt's tokens and how many exchanges were left out, so that a reply of reasonable length fits."""
    shorten = request.shorten
    if isinstance(shorten, ChatShortener):
        fitted = fit_chat(tokenize, counts, shorten, reserve_for(request, n_ctx), n_ctx, should_stop)
        if fitted is not None:
            return fitted
    elif shorten is None and len(request.prompt) > n_ctx * 64:  # sure to be too long: count its beginning only
        found = counts.count(request.prompt, n_ctx)
        if not found.exact:
            raise PromptTooLongError(found.tokens, n_ctx, 0)
    return fit_prompt(tokenize, request, n_ctx)


def fit_chat(tokenize: Callable[[str], list[int]], counts: TokenCounts, chat: ChatShortener, reserve: int,
             n_ctx: int, should_stop: Callable[[], bool]) -> tuple[list[int], int] | None:
    """Leave out the oldest exchanges that do not fit; None when the template cannot render a shortened chat."""
    budget = n_ctx - reserve
    last = chat.max_drop
    shortest = chat(last)
    if shortest is None:
        return None
    found = counts.count(shortest, n_ctx)
    if not found.exact:
        newest = counts.count(chat.turn_text(len(chat.rest) - 1), n_ctx) if chat.rest else found
        raise PromptTooLongError(newest.tokens if not newest.exact else found.tokens, n_ctx, last,
                                 message_alone=not newest.exact)
    if found.tokens > budget:  # nothing more can be left out: generate() says it is too long
        return _tokens(tokenize, chat, last), last
    base = counts.count(chat.base_text(), n_ctx).tokens

    def exchange(k: int, room: int) -> int:
        """Tokens exchange k adds (more than room when it does not fit in room)."""
        total, room = 0, max(0, room)
        for index in (2 * k, 2 * k + 1):
            found = counts.count(chat.turn_text(index), room + base)
            total += found.tokens - base if found.exact else room + 1
        return total

    # From the newest exchange backwards, each turn counted once (cached), until the context is full.
    total, k = found.tokens, last
    sizes: dict[int, int] = {}
    while k > 0:
        if should_stop():
            raise StoppedError
        size = exchange(k - 1, budget - total)
        if total + size > budget:
            break
        total += size
        sizes[k - 1] = size
        k -= 1
    chosen = k
    quantum = max(1, int(ANCHOR_CHARS_PER_TOKEN * n_ctx))
    while k > 0 and quantum >= 16:  # start where the next turns will start too, keeping at least half the context
        anchor = chat.anchor(k, quantum)
        if anchor > k and total - sum(sizes[j] for j in range(k, anchor)) >= budget // 2:
            chosen = anchor
            break
        quantum //= 4  # too coarse for this chat's tokens: finer places, which move more often
    # The prompt is the fitted text tokenised whole (the same tokens as ever for the same text).
    tokens = _tokens(tokenize, chat, chosen)
    while len(tokens) > budget and chosen < last:
        if should_stop():
            raise StoppedError
        chosen += 1
        tokens = _tokens(tokenize, chat, chosen)
    while chosen == k and k > 0 and len(tokens) + exchange(k - 1, budget + SLACK - len(tokens)) <= budget + SLACK:
        if should_stop():
            raise StoppedError
        candidate = _tokens(tokenize, chat, k - 1)
        if len(candidate) > budget:
            break
        tokens, k = candidate, k - 1
        chosen = k
    return tokens, chosen


def _tokens(tokenize: Callable[[str], list[int]], chat: ChatShortener, k: int) -> list[int]:
    text = chat(k)
    if text is None:
        raise InferenceError(translate("InferenceError", "The chat template could not render this conversation. "
                                       "Choose another template."))
    return tokenize(text)


def fit_prompt(tokenize: Callable[[str], list[int]], request: GenerationRequest, n_ctx: int) -> tuple[list[int], int]:
    """The prompt's tokens and how many turns were left out, so that a reply of reasonable length fits."""
    tokens = tokenize(request.prompt)
    reserve = reserve_for(request, n_ctx)
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

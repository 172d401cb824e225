"""Perplexity: how surprised a model is by a text, token by token.

Surprisal is -log2 p(token | everything before it), in bits; perplexity is 2 ** (mean surprisal),
the number of equally likely choices the model was, on average, hesitating between.
A text longer than the context is scored in overlapping windows: each window starts afresh, and only
its tokens past the overlap are scored, so every token (after the first window) sees at least
`overlap` tokens of context.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from desktop.core.i18n import translate
from desktop.core.prompting.characters import keeps_bytes


@dataclass(frozen=True)
class ScoredToken:
    token_id: int
    text: str
    surprisal: float  # bits; the text's first token has no prediction and is not scored (nan)
    raw: bytes | None = None  # the token's bytes, where the engine gave them ("" text: part of a character)

    @property
    def probability(self) -> float:
        return 0.0 if math.isnan(self.surprisal) else 2.0 ** -self.surprisal


@dataclass(frozen=True)
class Window:
    start: int  # first token evaluated
    end: int  # one past the last token evaluated
    score_from: int  # first token scored in this window


@dataclass(frozen=True)
class TextScore:
    tokens: tuple[ScoredToken, ...]
    windows: int
    n_ctx: int
    model: str = ""
    stopped: bool = False  # scored only part of the text

    @property
    def scored(self) -> list[ScoredToken]:
        return [t for t in self.tokens if not math.isnan(t.surprisal)]

    @property
    def mean_surprisal(self) -> float:
        scored = self.scored
        return sum(t.surprisal for t in scored) / len(scored) if scored else math.nan

    @property
    def perplexity(self) -> float:
        mean = self.mean_surprisal
        return math.nan if math.isnan(mean) else 2.0 ** mean

    def to_json(self) -> dict[str, object]:
        return {
            "model": self.model, "n_ctx": self.n_ctx, "windows": self.windows, "stopped": self.stopped,
            "tokens": len(self.tokens), "scored_tokens": len(self.scored),
            "mean_surprisal_bits": self.mean_surprisal, "perplexity": self.perplexity,
            "per_token": [_token_json(t) for t in self.tokens],
        }


def _token_json(token: ScoredToken) -> dict[str, object]:
    """A scored token; "bytes" (hex) only where its text does not show them (part of a character)."""
    data: dict[str, object] = {
        "id": token.token_id, "text": token.text,
        "surprisal_bits": None if math.isnan(token.surprisal) else round(token.surprisal, 4)}
    if token.raw is not None and keeps_bytes(token.raw, token.text):
        data["bytes"] = token.raw.hex(" ")
    return data


def plan_windows(n_tokens: int, n_ctx: int, overlap: int | None = None) -> list[Window]:
    """Windows of at most n_ctx tokens covering n_tokens; each scores the tokens the previous did not.

    The first window scores from token 1 (token 0 has nothing before it). Later windows start
    `overlap` tokens (default half the context) before the first token they score.
    """
    if n_tokens <= 0:
        return []
    if n_ctx < 2:
        raise ValueError(translate("Perplexity", "the context must hold at least two tokens"))
    overlap = n_ctx // 2 if overlap is None else max(0, min(overlap, n_ctx - 1))
    windows = [Window(0, min(n_tokens, n_ctx), 1)]
    while windows[-1].end < n_tokens:
        score_from = windows[-1].end
        start = max(0, score_from - overlap)
        windows.append(Window(start, min(n_tokens, start + n_ctx), score_from))
    return windows

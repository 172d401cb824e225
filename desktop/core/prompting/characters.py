"""Whole characters over byte-level tokens.

A byte-level tokenizer may split one character over several tokens: "🦙" is F0 9F A6 99, four tokens in
Gemma's vocabulary, none of them UTF-8 alone. The instruments show such a character once, spanning its
tokens; its probability is the product of its tokens' probabilities (its surprisal the sum of theirs), and
hovering lists each token's id and bytes. Bytes that never form a character (a reply cut off inside one,
or a model writing bytes that are not UTF-8) are shown as ‹E6 88›, never as '\ufffd'.

A token's bytes come from the engine (`raw`). Where they are not known (data saved before Parley kept
them), a token's text stands for them, and a token whose text is "" is taken as the start of the
character that the next token completes (the text a token adds is "" until its character is whole).
"""

from __future__ import annotations

import codecs
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

OPEN, CLOSE = "\u2039", "\u203a"  # ‹ › around bytes that are no character
_ESCAPED = re.compile("[\udc80-\udcff]+")  # what surrogateescape makes of bytes that are not UTF-8


class HasBytes(Protocol):
    """A token as the instruments keep it: the text it adds, and its bytes where the engine gave them."""

    @property
    def text(self) -> str: ...

    @property
    def raw(self) -> bytes | None: ...


@dataclass(frozen=True)
class CharacterSpan:
    """Tokens first..last (inclusive) that together make whole characters: `text`."""

    first: int
    last: int
    text: str

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    @property
    def split(self) -> bool:
        """More than one token: a character the tokenizer split into bytes."""
        return self.last > self.first

    @property
    def indices(self) -> range:
        return range(self.first, self.last + 1)


def hex_bytes(data: bytes) -> str:
    """'E6 88 91'."""
    return " ".join(f"{byte:02X}" for byte in data)


def _marked(text: str) -> str:
    return _ESCAPED.sub(lambda m: OPEN + hex_bytes(bytes(ord(c) - 0xDC00 for c in m.group())) + CLOSE, text)


def visible_text(data: bytes) -> str:
    """The bytes as text, any that are not (or not yet) a whole character shown as ‹E6 88›."""
    return _marked(data.decode("utf-8", "surrogateescape"))


def keeps_bytes(raw: bytes | None, text: str) -> bool:
    """Whether a token's bytes say more than its text (part of a character): worth saving with it."""
    return raw is not None and raw != text.encode("utf-8")


def token_bytes(token: HasBytes) -> bytes | None:
    """The token's bytes: from the engine, else its text's; None when unknown (a "" text from old data)."""
    if token.raw is not None:
        return token.raw
    return token.text.encode("utf-8") if token.text else None


def character_spans(tokens: Sequence[bytes | None]) -> list[CharacterSpan]:
    """Group tokens, given their bytes, into the shortest runs that make whole characters.

    A token of whole characters is a span of its own; tokens ending inside a character join the tokens
    that complete it. None (unknown bytes) joins the next span. Every token is in exactly one span, in order.
    """
    spans: list[CharacterSpan] = []
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    first = 0
    parts: list[str] = []
    for index, data in enumerate(tokens):
        if data is None:
            continue
        parts.append(decoder.decode(data))
        if not decoder.getstate()[0]:  # no bytes waiting for the rest of a character
            spans.append(CharacterSpan(first, index, _marked("".join(parts))))
            first, parts = index + 1, []
    if first < len(tokens):  # the tokens end inside a character
        parts.append(decoder.decode(b"", final=True))
        spans.append(CharacterSpan(first, len(tokens) - 1, _marked("".join(parts))))
    return spans


def token_spans(tokens: Sequence[HasBytes]) -> list[CharacterSpan]:
    """character_spans of tokens (steps, prompt pieces, scored tokens) by their bytes or texts."""
    return character_spans([token_bytes(token) for token in tokens])


def span_of_token(spans: Sequence[CharacterSpan], count: int) -> list[int]:
    """For each of `count` tokens, the index of the span holding it."""
    owner = [0] * count
    for number, span in enumerate(spans):
        for index in span.indices:
            if index < count:
                owner[index] = number
    return owner


def span_probability(probabilities: Sequence[float], span: CharacterSpan) -> float:
    """The character's probability: the product over its tokens (each given the ones before)."""
    return math.prod(probabilities[span.first:span.last + 1])


def span_surprisal(surprisals: Sequence[float], span: CharacterSpan) -> float:
    """The character's surprisal in bits: the sum over its tokens; nan if any of them was not scored."""
    values = surprisals[span.first:span.last + 1]
    return math.nan if any(math.isnan(v) for v in values) else math.fsum(values)


def incremental_texts(tokens: Sequence[bytes]) -> list[str]:
    """The text each token adds as the bytes arrive: "" for a token ending inside a character, whose
    completing token then adds the whole character (as a streaming UTF-8 decoder gives it)."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    return [decoder.decode(data) for data in tokens]


def added_text(before: Sequence[bytes | None], data: bytes) -> str:
    """The text a token with bytes `data` adds after tokens with bytes `before` (unknown ones skipped)."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    for previous in before:
        if previous is not None:
            decoder.decode(previous)
    return decoder.decode(data)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

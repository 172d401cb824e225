"""Token counts of chat turns, cached by the turn's rendered text (role markers included), and counts with a
ceiling: a text far longer than the context is known to be too long from its beginning alone."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

CACHED_CHARS = 8_000_000  # the cache holds turn texts up to this many characters in all (oldest used go first)
MAX_CACHED_TEXT = 65_536  # longer turns are counted each time (from their beginning, against a ceiling)
CHARS_PER_TOKEN_PROBE = 8  # a text longer than (limit + 1) x this is first counted on that many characters


@dataclass(frozen=True)
class Count:
    tokens: int
    exact: bool  # False: the text has at least this many tokens (counted on its beginning only)


class TokenCounts:
    """Counts for one loaded model; clear() when another is loaded."""

    def __init__(self, tokenize: Callable[[str], list[int]]) -> None:
        self._tokenize = tokenize
        self._counts: OrderedDict[str, Count] = OrderedDict()
        self._chars = 0

    def clear(self) -> None:
        self._counts.clear()
        self._chars = 0

    def count(self, text: str, limit: int) -> Count:
        """The text's tokens, exact when there are at most `limit` (or the text is short), else at least so many."""
        found = self._counts.get(text)
        if found is not None and (found.exact or found.tokens > limit):
            self._counts.move_to_end(text)
            return found
        probe = (limit + 1) * CHARS_PER_TOKEN_PROBE
        result = None
        if len(text) > probe:
            head = len(self._tokenize(text[:probe]))
            if head > limit:
                result = Count(head, False)
        if result is None:
            result = Count(len(self._tokenize(text)), True)
        if len(text) <= MAX_CACHED_TEXT:
            self._remember(text, result)
        return result

    def _remember(self, text: str, count: Count) -> None:
        if text not in self._counts:
            self._chars += len(text)
        self._counts[text] = count
        self._counts.move_to_end(text)
        while self._chars > CACHED_CHARS and self._counts:
            old, _ = self._counts.popitem(last=False)
            self._chars -= len(old)

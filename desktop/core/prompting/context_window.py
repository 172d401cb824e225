"""A chat as the context sees it: rendered with its oldest exchanges left out, one turn at a time.

A long conversation never fits the context whole, and tokenising it whole grows worse than linearly (3,000
messages took 40 s). `ChatShortener` renders the chat without its oldest k exchanges (the system prompt and the
newest message always stay) and renders any single turn on its own, so the worker can count tokens turn by turn
from the newest backwards, each turn once, and stop as soon as the context is full.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from desktop.core.prompting.chat_template import ChatTemplate, ChatTurn, TemplateError

# Characters the GUI renders at most per context token before the worker has fitted the chat: no token of a real
# vocabulary is longer, so turns beyond this many characters from the end cannot be in the prompt.
MAX_CHARS_PER_TOKEN = 32
# Where the prompt may start: exchange boundaries at every ANCHOR_CHARS_PER_TOKEN x n_ctx characters of the
# conversation (a tenth to a fifth of the context in English; finer when that would leave less than half of it).
# Counted from the oldest message, they stay put as the chat grows, so the prompt's start (and llama.cpp's cache
# of everything after it) survives many turns instead of moving every turn.
ANCHOR_CHARS_PER_TOKEN = 0.5


def _turn(turn: Mapping[str, Any]) -> ChatTurn:
    return ChatTurn(role=str(turn.get("role", "")), content=str(turn.get("content", "") or ""))


class ChatShortener:
    """Called with k: the chat rendered without its oldest k exchanges (None past the droppable ones)."""

    def __init__(self, template: ChatTemplate, turns: Sequence[Mapping[str, Any]]) -> None:
        self.template = template
        all_turns = [_turn(t) for t in turns]
        self.system = all_turns[:1] if all_turns and all_turns[0]["role"] == "system" else []
        self.rest = all_turns[len(self.system):]
        self._offsets: list[int] | None = None  # characters of rest[:2k], per k

    @property
    def max_drop(self) -> int:
        """The most exchanges that can be left out (the newest message always stays)."""
        return max(0, (len(self.rest) - 1) // 2)

    def turns(self, k: int) -> list[ChatTurn]:
        """The turns of the prompt with the oldest k exchanges left out."""
        return self.system + self.rest[2 * k:]

    def __call__(self, k: int) -> str | None:
        if k < 0 or 2 * k >= len(self.rest):
            return None
        try:
            return self.template.render(self.turns(k)).text
        except TemplateError:
            return None

    def turn_text(self, index: int) -> str:
        """rest[index] rendered on its own (what it adds to a prompt, markers included, after `base_text`)."""
        turn = self.rest[index]
        try:
            return self.template.render([turn], add_generation_prompt=False).text
        except TemplateError:  # a template that wants a user turn first: the text alone, for an estimate
            return f"{self.base_text()}{turn['role']}\n{turn['content']}\n"

    def base_text(self) -> str:
        """What the template writes around no turns at all (a BOS token, say)."""
        try:
            return self.template.render([], add_generation_prompt=False).text
        except TemplateError:
            return ""

    def exchange_chars(self, k: int) -> int:
        """Characters of the turns in exchange k (the turns 2k and 2k + 1)."""
        return sum(len(t["content"]) for t in self.rest[2 * k:2 * k + 2])

    def _prefix_chars(self) -> list[int]:
        if self._offsets is None:
            sizes = (len(self.rest[2 * k]["content"]) + (len(self.rest[2 * k + 1]["content"])
                                                         if 2 * k + 1 < len(self.rest) else 0)
                     for k in range(self.max_drop))
            self._offsets = [0, *itertools.accumulate(sizes)]
        return self._offsets

    def char_cap_drop(self, max_chars: int) -> int:
        """The fewest exchanges to leave out so that the rest holds at most max_chars characters of turns (the
        newest always stays): a bound for what the GUI renders before the worker fits the chat in tokens."""
        offsets = self._prefix_chars()
        total = offsets[-1] + sum(len(t["content"]) for t in self.rest[2 * self.max_drop:])
        return min(self.max_drop, bisect.bisect_left(offsets, total - max_chars))

    def anchor(self, k: int, quantum: int) -> int:
        """The first place the prompt may start at or after k: an exchange boundary where the characters before it
        cross a multiple of `quantum` (or the newest droppable exchange when there is none)."""
        offsets = self._prefix_chars()
        for candidate in range(max(k, 1), self.max_drop + 1):
            if offsets[candidate] // quantum > offsets[candidate - 1] // quantum:
                return candidate
        return k if k <= 0 else self.max_drop

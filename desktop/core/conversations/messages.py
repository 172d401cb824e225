"""The conversation as the person sees it: turns, the reply being streamed, stats."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from desktop.core.i18n import translate
from desktop.core.prompting.probabilities import TokenStep


class Role(str, Enum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"


@dataclass(frozen=True)
class GenerationStats:
    """What one reply cost; shown under the message."""

    prompt_tokens: int
    cached_tokens: int
    generated_tokens: int
    time_to_first_token: float
    tokens_per_second: float
    stopped: bool = False
    dropped_turns: int = 0  # oldest turns left out of the prompt so it fits the context
    context_full: bool = False  # the reply ended because the context had no room for more tokens

    @property
    def evaluated_prompt_tokens(self) -> int:
        """Prompt tokens llama.cpp actually had to evaluate (the rest came from its KV cache)."""
        return self.prompt_tokens - self.cached_tokens

    @staticmethod
    def clean_json(data: object) -> dict[str, Any] | None:
        """The known, well-typed fields of stored or imported stats; None when a required one is missing or any
        known one has the wrong type. A newer Parley's extra fields are dropped, so they can never stop a chat
        from opening."""
        if not isinstance(data, Mapping):
            return None
        cleaned: dict[str, Any] = {}
        for name, kind in _STATS_FIELDS.items():
            if name not in data:
                if name in _REQUIRED_STATS:
                    return None
                continue
            value = data[name]
            if isinstance(value, bool) != (kind is bool):
                return None
            if kind is float and isinstance(value, int):
                value = float(value)
            if not isinstance(value, kind):
                return None
            cleaned[name] = value
        return cleaned

    @classmethod
    def from_json(cls, data: object) -> GenerationStats | None:
        cleaned = cls.clean_json(data)
        return None if cleaned is None else cls(**cleaned)

    def summary(self) -> str:
        """The line under a reply, in the person's language."""
        prompt, generated = self.prompt_tokens, self.generated_tokens
        parts = [
            translate("StatsLine", "%n prompt tokens ({cached} cached)", None, prompt).format(cached=self.cached_tokens)
            if self.cached_tokens else translate("StatsLine", "%n prompt tokens", None, prompt),
            translate("StatsLine", "%n generated", None, generated),
            translate("StatsLine", "first token {ms} ms").format(ms=f"{self.time_to_first_token * 1000:.0f}"),
            translate("StatsLine", "{speed} tokens/s").format(speed=f"{self.tokens_per_second:.1f}"),
        ]
        if self.stopped:
            parts.append(translate("StatsLine", "stopped"))
        if self.context_full:
            parts.append(translate("StatsLine", "cut short: the context is full (start a new chat, or load the model "
                                                "with a longer context)"))
        return " · ".join(parts)

    def file_summary(self) -> str:
        """The same line in English, for files (a Markdown export), which read the same in every language."""
        cached = f" ({self.cached_tokens} cached)" if self.cached_tokens else ""
        stopped = " · stopped" if self.stopped else ""
        full = (" · cut short: the context is full (start a new chat, or load the model with a longer context)"
                if self.context_full else "")
        return (
            f"{self.prompt_tokens} prompt tokens{cached} · {self.generated_tokens} generated · "
            f"first token {self.time_to_first_token * 1000:.0f} ms · "
            f"{self.tokens_per_second:.1f} tokens/s{stopped}{full}"
        )


_STATS_FIELDS: dict[str, type] = {
    "prompt_tokens": int, "cached_tokens": int, "generated_tokens": int, "time_to_first_token": float,
    "tokens_per_second": float, "stopped": bool, "dropped_turns": int, "context_full": bool,
}
_REQUIRED_STATS = ("prompt_tokens", "cached_tokens", "generated_tokens", "time_to_first_token", "tokens_per_second")


@dataclass
class ChatMessage:
    role: Role
    content: str
    stats: GenerationStats | None = None
    steps: tuple[TokenStep, ...] = ()  # token probabilities, when they were recorded


@dataclass
class Conversation:
    """A system prompt plus alternating user/assistant turns; the last assistant turn may be streaming."""

    system_prompt: str = ""
    messages: list[ChatMessage] = field(default_factory=list)

    def turns(self) -> list[dict[str, str]]:
        """The conversation as chat-template input, system prompt first."""
        turns = [{"role": Role.SYSTEM.value, "content": self.system_prompt}] if self.system_prompt.strip() else []
        turns += [{"role": m.role.value, "content": m.content} for m in self.messages]
        return turns

    def add_user(self, text: str) -> ChatMessage:
        message = ChatMessage(Role.USER, text)
        self.messages.append(message)
        return message

    def start_reply(self) -> ChatMessage:
        message = ChatMessage(Role.ASSISTANT, "")
        self.messages.append(message)
        return message

    @property
    def last_reply(self) -> ChatMessage | None:
        if self.messages and self.messages[-1].role is Role.ASSISTANT:
            return self.messages[-1]
        return None

    def drop_last_reply(self) -> ChatMessage | None:
        """Remove the last assistant turn so it can be generated again; returns it."""
        reply = self.last_reply
        if reply is not None:
            self.messages.pop()
        return reply

    def clear(self) -> None:
        self.messages.clear()

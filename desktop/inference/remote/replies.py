"""What servers send back, read defensively: per-token log-probabilities in either shape (OpenAI's legacy
completion shape, as vLLM sends it, and llama-server's chat-style list) and an `echo` of the prompt's own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WireStep:
    """One generated token's log-probabilities as a server sent them."""

    token: str
    logprob: float
    token_id: int | None
    top: tuple[tuple[str, float, int | None], ...]  # (text, log-probability, id when the server sends it)


def completion_steps(choice: Any) -> list[WireStep]:
    """The per-token log-probabilities in a completion choice, in either shape servers send: OpenAI's legacy
    (tokens / token_logprobs / top_logprobs) or the chat-style list under `content` (llama-server)."""
    logprobs = getattr(choice, "logprobs", None)
    if logprobs is None:
        return []
    raw = logprobs.model_dump() if hasattr(logprobs, "model_dump") else logprobs
    if not isinstance(raw, dict):
        return []
    content = raw.get("content")
    steps: list[WireStep] = []
    if isinstance(content, list):
        for item in content:
            if not isinstance(item, dict):
                continue
            top = tuple((str(t.get("token", "")), float(t["logprob"]), _int_or_none(t.get("id")))
                        for t in item.get("top_logprobs") or [] if isinstance(t, dict) and _number(t.get("logprob")))
            value = item.get("logprob")
            if isinstance(value, (int, float)) and _number(value):
                steps.append(WireStep(str(item.get("token", "")), float(value),
                                      _int_or_none(item.get("id")), top))
        return steps
    tokens, values, tops = raw.get("tokens") or [], raw.get("token_logprobs") or [], raw.get("top_logprobs") or []
    for i, token in enumerate(tokens):
        value = values[i] if i < len(values) else None
        if not isinstance(value, (int, float)) or not _number(value):
            continue
        top_raw = tops[i] if i < len(tops) and isinstance(tops[i], dict) else {}
        top = tuple((str(t), float(v), None) for t, v in top_raw.items() if _number(v))
        steps.append(WireStep(str(token), float(value), None, tuple(sorted(top, key=lambda x: -x[1]))))
    return steps


def echoed_tokens(reply: Any) -> list[tuple[str, float | None, int]]:
    """The prompt's tokens in an `echo` completion of one generated token: (text, natural-log probability or None
    for the first, character offset), the generated token left out."""
    choices = getattr(reply, "choices", None)
    if not isinstance(choices, list) or not choices or getattr(choices[0], "logprobs", None) is None:
        raise ValueError("the reply has no log-probabilities")
    logprobs = choices[0].logprobs
    tokens = list(getattr(logprobs, "tokens", None) or [])
    values = list(getattr(logprobs, "token_logprobs", None) or [])
    offsets = list(getattr(logprobs, "text_offset", None) or [])
    prompt_tokens = getattr(getattr(reply, "usage", None), "prompt_tokens", None)
    count = prompt_tokens if isinstance(prompt_tokens, int) and 0 < prompt_tokens <= len(tokens) else len(tokens) - 1
    if count <= 0 or len(values) < count:
        raise ValueError("the reply does not echo the prompt's log-probabilities")
    found = []
    for i in range(count):
        value = values[i]
        offset = offsets[i] if i < len(offsets) and isinstance(offsets[i], int) else -1
        found.append((str(tokens[i]), float(value) if _number(value) else None, offset))
    return found


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None

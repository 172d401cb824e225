"""Where a reply ends: inside a multi-byte character, at a full context, or never (a message longer than the
context), each said plainly. Real llama.cpp with the built-in model (2,048-token context)."""

from __future__ import annotations

import pytest

from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.context_window import ChatShortener
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, InferenceError
from desktop.inference.llama.backend import LlamaBackend

GREEDY = SamplingParams(temperature=0.0, seed=1)


def reply(backend: LlamaBackend, prompt: str, max_tokens: int) -> tuple[str, object]:
    pieces: list[str] = []
    stats = backend.generate(GenerationRequest(prompt, GREEDY.with_changes(max_tokens=max_tokens)), pieces.append,
                             lambda: False)
    return "".join(pieces), stats


def test_a_reply_stopped_inside_a_character_does_not_end_in_a_replacement_mark(backend: LlamaBackend) -> None:
    prompt = "ꙮ" * 10  # each is three byte tokens for Gemma's tokenizer; the model goes on with more
    cut, _ = reply(backend, prompt, 1)  # one byte of the next character
    assert "\ufffd" not in cut and cut == ""
    whole, _ = reply(backend, prompt, 3)
    assert whole == "ꙮ"


def test_a_reply_cut_short_by_a_full_context_says_so(backend: LlamaBackend) -> None:
    prompt = "word " * 2100
    while len(backend.tokenize(prompt)) > 2030:
        prompt = prompt[:-5]
    _text, stats = reply(backend, prompt, 64)
    assert stats.context_full and not stats.stopped  # type: ignore[attr-defined]
    assert "context is full" in stats.summary()  # type: ignore[attr-defined]
    _, roomy = reply(backend, "word " * 20, 4)
    assert not roomy.context_full  # type: ignore[attr-defined]  # max tokens reached is not a full context


def test_a_message_longer_than_the_context_is_named_as_the_problem(backend: LlamaBackend) -> None:
    template = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>")
    chat = ChatShortener(template, [{"role": "user", "content": "Hello"}, {"role": "assistant", "content": "Hi"},
                                    {"role": "user", "content": "paste " * 20_000}])
    request = GenerationRequest(chat(0) or "", GREEDY.with_changes(max_tokens=8), shorten=chat)
    with pytest.raises(InferenceError, match="Your message alone is more than .* tokens, longer than the model's "
                                             "whole context"):
        backend.generate(request, lambda _text: None, lambda: False)

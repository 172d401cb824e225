"""Generating a reply: llama.cpp's own sampler chain over the evaluated prompt, one token at a time, until an
end-of-generation token, a stop text, the token limit or Stop."""

from __future__ import annotations

import codecs
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import llama_cpp

from desktop.core.conversations.messages import GenerationStats
from desktop.core.i18n import translate
from desktop.core.prompting.probabilities import MAX_ALTERNATIVES, TokenStep
from desktop.core.prompting.stop_text import StopTextFilter
from desktop.inference.backend import GenerationRequest, InferenceError

if TYPE_CHECKING:
    from desktop.inference.llama.backend import LlamaBackend, _CountingLlama


def generate_reply(
    backend: LlamaBackend,
    llm: _CountingLlama,
    request: GenerationRequest,
    on_text: Callable[[str], None],
    should_stop: Callable[[], bool],
    on_step: Callable[[TokenStep], None] | None = None,
) -> GenerationStats:
    """LlamaBackend.generate on the loaded model `llm`: the prompt fitted to the context and evaluated (its cache
    reused where it matches), then the reply streamed to on_text and, when asked, each token's step to on_step."""
    params = request.params
    started = time.perf_counter()
    tokens, dropped = backend._fit(request, llm.n_ctx(), should_stop)
    tokens += request.forced
    room = llm.n_ctx() - len(tokens)
    if room <= 0:
        raise InferenceError(translate(
            "InferenceError", "The prompt is {tokens} tokens but the context holds {n_ctx}. Start a new chat or "
            "shorten the system prompt.").format(tokens=len(tokens), n_ctx=llm.n_ctx()))
    max_tokens = min(params.max_tokens, room)
    llm.set_seed(params.seed if params.seed >= 0 else random.randrange(2**31))
    llm.evaluated = 0
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    for forced in request.forced:  # a reply continued from part of a character: the next token completes it
        decoder.decode(llm.detokenize([forced]))
    stops = StopTextFilter(request.stop)
    vocab = llm._model.vocab
    record = on_step is not None and request.alternatives > 0
    n_alternatives = min(max(request.alternatives, 1), MAX_ALTERNATIVES)
    generated = 0
    first_token_at = 0.0
    stopped = False
    backend._evaluate_prompt(llm, tokens, should_stop)
    cached = len(tokens) - llm.evaluated
    # llama.cpp's own sampler chain, as llama-cpp-python builds it for Llama.generate (penalties over the
    # reply, top-k, typical, top-p, min-p, temperature, then a seeded draw; greedy at temperature 0).
    sampler = llm._init_sampler(
        top_k=params.top_k, top_p=params.top_p, min_p=params.min_p, typical_p=1.0, temp=params.temperature,
        repeat_penalty=params.repeat_penalty, frequency_penalty=0.0, presence_penalty=0.0,
    )
    while True:
        token = sampler.sample(llm._ctx, -1)
        if generated == 0:
            first_token_at = time.perf_counter()
        if llama_cpp.llama_vocab_is_eog(vocab, token):
            break
        generated += 1
        data = llm.detokenize([token])
        piece = decoder.decode(data)
        if record:
            # The logits that produced `token` are still the context's last output: the next decode
            # happens only below, once this token is handled.
            on_step(backend._step(llm, token, piece, data, n_alternatives))  # type: ignore[misc]
        text = stops.feed(piece)
        if text:
            on_text(text)
        if stops.stopped or generated >= max_tokens:
            break
        if should_stop():
            stopped = True
            break
        llm.eval([token])
    # Bytes of a character the reply stopped inside are dropped, not shown as '\ufffd'.
    tail = stops.flush()
    if tail:
        on_text(tail)
    finished = time.perf_counter()
    if not first_token_at:
        first_token_at = finished
    decode_time = finished - first_token_at
    cut_short = not stopped and not stops.stopped and generated >= max_tokens and max_tokens < params.max_tokens
    rate = (generated - 1) / decode_time if generated > 1 and decode_time > 0 else 0.0
    return GenerationStats(
        prompt_tokens=len(tokens),
        cached_tokens=cached,
        generated_tokens=generated,
        time_to_first_token=first_token_at - started,
        tokens_per_second=rate,
        stopped=stopped,
        dropped_turns=dropped,
        context_full=cut_short,
    )

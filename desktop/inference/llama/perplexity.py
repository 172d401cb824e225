"""Perplexity: every token's surprisal under the model, in windows when the text is longer than the context."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from desktop.core.i18n import translate
from desktop.core.instruments.perplexity import ScoredToken, TextScore, plan_windows
from desktop.core.prompting.characters import incremental_texts
from desktop.core.prompting.probabilities import LN2
from desktop.inference.backend import InferenceError

if TYPE_CHECKING:
    from desktop.inference.llama.backend import LlamaBackend, _CountingLlama

SCORE_BATCH = 64  # positions per decode, each with a full row of logits (64 x vocabulary floats)


def score_text(backend: LlamaBackend, llm: _CountingLlama, name: str, text: str,
               on_progress: Callable[[int, int], None], should_stop: Callable[[], bool]) -> TextScore:
    if not text.strip():
        raise InferenceError(translate("InferenceError", "There is no text to score: paste or open some text first."))
    tokens = llm.tokenize(text.encode("utf-8"), add_bos=True, special=False)
    raws = [llm.detokenize([t]) for t in tokens]
    texts = incremental_texts(raws)  # "" for a token ending inside a character; the next adds all of it
    surprisal = [math.nan] * len(tokens)
    n_ctx = llm.n_ctx()
    windows = plan_windows(len(tokens), n_ctx)
    n_vocab = llm.n_vocab()
    total = max(0, len(tokens) - 1)
    done = 0
    stopped = False
    try:
        for window in windows:
            backend.reset_cache()
            for begin in range(window.start, window.end, SCORE_BATCH):
                if should_stop():
                    stopped = True
                    break
                batch = tokens[begin:min(window.end, begin + SCORE_BATCH)]
                llm._batch.set_batch(batch=batch, n_past=begin - window.start, logits_all=True)
                llm._ctx.decode(llm._batch)
                rows = np.ctypeslib.as_array(llm._ctx.get_logits(),  # type: ignore[no-untyped-call]
                                             shape=(len(batch), n_vocab))
                for offset in range(len(batch)):
                    target = begin + offset + 1  # the token this row predicts
                    if window.score_from <= target < window.end:
                        row = rows[offset]
                        best = float(row.max())
                        log_total = best + math.log(float(np.exp(row - best).sum(dtype=np.float64)))
                        surprisal[target] = (log_total - float(row[tokens[target]])) / LN2
                        done += 1
                on_progress(done, total)
            if stopped:
                break
    finally:
        backend.reset_cache()  # the KV cache now holds the scored text, not the chat: start afresh
    scored = tuple(ScoredToken(t, s, v, r) for t, s, v, r in zip(tokens, texts, surprisal, raws, strict=True))
    if stopped:
        last = max((i for i, v in enumerate(surprisal) if not math.isnan(v)), default=0)
        scored = scored[:last + 1]
    return TextScore(scored, len(windows), n_ctx, name, stopped)

"""Teacher forcing for "Most likely answer": each continuation's log-probability right after a shared prompt."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from llama_cpp import Llama

from desktop.core.fewshot.likelihood import ContinuationScore, ContinuationScores
from desktop.core.i18n import translate
from desktop.core.prompting.probabilities import Logits
from desktop.inference.backend import InferenceError

if TYPE_CHECKING:
    from desktop.inference.llama.backend import LlamaBackend, _CountingLlama

MAX_LABEL_TOKENS = 256  # longer answers are almost certainly a mistake in the label set


def _log_softmax(logits: Logits) -> npt.NDArray[np.float64]:
    row = np.asarray(logits, dtype=np.float64)
    best = float(row.max())
    return row - (best + math.log(float(np.exp(row - best).sum())))


def score_continuations(backend: LlamaBackend, llm: _CountingLlama, prompt: str,
                        continuations: Sequence[str]) -> ContinuationScores:
    """Teacher forcing: the log-probability of each continuation's tokens right after the prompt.

    The prompt is evaluated once (in its chunks, cache reused) and shared by all continuations; each one is
    decoded as one batch at the same positions and then removed again, so the result depends only on the
    prompt and the continuation.
    """
    prompt_tokens = backend.tokenize(prompt)
    if len(prompt_tokens) >= llm.n_ctx():
        raise InferenceError(translate("InferenceError", "The prompt is {tokens} tokens but the context holds "
                                       "{n_ctx}.").format(tokens=len(prompt_tokens), n_ctx=llm.n_ctx()))
    answers = [_continuation_tokens(backend, llm, prompt, prompt_tokens, text) for text in continuations]
    llm.evaluated = 0
    backend._evaluate_prompt(llm, prompt_tokens)
    evaluated = llm.evaluated
    first = _log_softmax(backend._last_logits(llm))
    end = len(prompt_tokens)
    n_vocab = llm.n_vocab()
    scores = []
    for answer in answers:
        if end + len(answer) > llm.n_ctx():
            raise InferenceError(translate("InferenceError", "The prompt and the longest answer do not fit the "
                                           "context; load the model with a longer context."))
        total = float(first[answer[0]])
        if len(answer) > 1:
            batch = answer[:-1]
            llm._batch.set_batch(batch=batch, n_past=end, logits_all=True)
            llm._ctx.decode(llm._batch)
            rows = np.ctypeslib.as_array(llm._ctx.get_logits(),  # type: ignore[no-untyped-call]
                                         shape=(len(batch), n_vocab))
            for offset, target in enumerate(answer[1:]):
                total += float(_log_softmax(rows[offset])[target])
            llm._ctx.kv_cache_seq_rm(-1, end, -1)
        scores.append(ContinuationScore(total, len(answer)))
    llm.n_tokens = end
    return ContinuationScores(tuple(scores), len(prompt_tokens), evaluated)


def _continuation_tokens(backend: LlamaBackend, llm: Llama, prompt: str, prompt_tokens: list[int],
                         text: str) -> list[int]:
    """The tokens `text` adds after the prompt: from tokenising both together where that keeps the prompt's
    own tokens (so " positive" is the token a model would write), else `text` on its own."""
    joint = backend.tokenize(prompt + text)
    if joint[:len(prompt_tokens)] == prompt_tokens:
        answer = joint[len(prompt_tokens):]
    else:
        answer = llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)
    if not answer:
        raise InferenceError(translate("InferenceError", "The answer {answer} becomes no tokens for this model; "
                                       "give every label some text.").format(answer=repr(text.strip())))
    if len(answer) > MAX_LABEL_TOKENS:
        raise InferenceError(translate("InferenceError", "The answer {answer}… is {tokens} tokens; labels for "
                                       "likelihood scoring may have at most {most}.").format(
            answer=repr(text.strip()[:40]), tokens=len(answer), most=MAX_LABEL_TOKENS))
    return answer

"""Scoring a few-shot template on test items: one greedy generation per item, on the inference thread.

No Qt here, so the worker, the `parley eval` command line and the benchmark all run the same loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from desktop.core.chat_template import ChatTemplate
from desktop.core.dataset import TestItem
from desktop.core.fewshot import FewShotTemplate, RenderMode, final_prompt
from desktop.core.sampling import SamplingParams
from desktop.core.scoring import ItemResult, score
from desktop.inference.backend import GenerationRequest, InferenceBackend, InferenceError


@dataclass(frozen=True)
class EvalRequest:
    template: FewShotTemplate  # already cut to the wanted shots
    items: tuple[TestItem, ...]
    params: SamplingParams  # seed fixed: the caller draws a random one and records it
    chat_template: ChatTemplate | None
    rule: str
    pattern: str | None = None
    reset_cache_per_item: bool = False  # benchmark baseline only: every prompt evaluated from scratch


def stop_strings(template: FewShotTemplate, chat_template: ChatTemplate | None) -> tuple[str, ...]:
    """Where an answer ends: the next example's label in completion mode, the end of turn in chat mode."""
    if template.mode is RenderMode.CHAT:
        return chat_template.stop if chat_template is not None else ()
    return template.stop_strings()


def run_evaluation(
    backend: InferenceBackend,
    request: EvalRequest,
    on_result: Callable[[ItemResult], None],
    should_stop: Callable[[], bool],
) -> list[ItemResult]:
    """Score each item in order and report it as soon as it is known; returns the results so far.

    Items differ only after the shared instruction and examples, so llama.cpp's prefix matching evaluates
    that prefix once per run and each later item costs only its own query. An item cut short by
    should_stop is dropped rather than scored on half an answer.
    """
    stop = stop_strings(request.template, request.chat_template)
    results: list[ItemResult] = []
    for item in request.items:
        if should_stop():
            break
        prompt = final_prompt(request.template, item.values, request.chat_template)
        if request.reset_cache_per_item:
            backend.reset_cache()
        pieces: list[str] = []
        started = time.perf_counter()
        try:
            stats = backend.generate(GenerationRequest(prompt, request.params, stop), pieces.append, should_stop)
        except InferenceError as exc:
            raise InferenceError(f"Line {item.line}: {exc}") from exc
        if stats.stopped:
            break
        output = "".join(pieces).strip()
        result = ItemResult(
            line=item.line,
            input=item.values.get("input", ""),
            expected=item.expected,
            output=output,
            passed=score(request.rule, output, item.expected, request.pattern),
            prompt_tokens=stats.prompt_tokens,
            evaluated_tokens=stats.evaluated_prompt_tokens,
            generated_tokens=stats.generated_tokens,
            seconds=time.perf_counter() - started,
        )
        results.append(result)
        on_result(result)
    return results

"""Scoring a few-shot template on test items, on the inference thread: one generation per item, or (the
"Most likely answer" rule) the probability of each label after the prompt.

No Qt here, so the worker, the `parley eval` command line and the benchmark all run the same loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from desktop.core.fewshot.dataset import TestItem
from desktop.core.fewshot.likelihood import CONTENT_FREE_INPUTS, decide, mean_bias, normalise
from desktop.core.fewshot.scoring import LIKELIHOOD, EvalRun, ItemResult, score
from desktop.core.fewshot.template import FewShotError, FewShotTemplate, RenderMode, final_prompt
from desktop.core.i18n import translate
from desktop.core.prompting.chat_template import ChatTemplate
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, InferenceBackend, InferenceError
from desktop.inference.context_fit import StoppedError


@dataclass(frozen=True)
class EvalRequest:
    template: FewShotTemplate  # already cut to the wanted shots
    items: tuple[TestItem, ...]
    params: SamplingParams  # seed fixed: the caller draws a random one and records it
    chat_template: ChatTemplate | None
    rule: str
    pattern: str | None = None
    reset_cache_per_item: bool = False  # benchmark baseline only: every prompt evaluated from scratch
    calibrate: bool = False  # "Most likely answer": divide out the prompt's own label bias (Zhao et al. 2021)


def stop_strings(template: FewShotTemplate, chat_template: ChatTemplate | None) -> tuple[str, ...]:
    """Where an answer ends: the next example's label in completion mode, the end of turn in chat mode."""
    if template.mode is RenderMode.CHAT:
        return chat_template.stop if chat_template is not None else ()
    return template.stop_strings()


def passes(rule: str, output: str, item: TestItem, pattern: str | None) -> bool:
    """The item's own rule (promptfoo's prefixes) over the run's; any accepted answer counts."""
    if item.rule:  # a regex item's expected answers are its patterns, one per accepted answer
        rule, pattern = item.rule, None
    if rule == LIKELIHOOD:  # a label was chosen: compare it with the expected answer as text
        rule = "normalized"
    return any(score(rule, output, expected, pattern) for expected in (item.expected, *item.accepted))


def calibration_bias(backend: InferenceBackend, request: EvalRequest) -> dict[str, float]:
    """Each label's average probability when the input carries no content ("N/A", "", "[MASK]")."""
    template = request.template
    labels = template.item_labels({})  # FewShotError when labels need item values: those cannot be calibrated
    continuations = [template.label_continuation(label) for label in labels]
    distributions = []
    for blank in CONTENT_FREE_INPUTS:
        values = {name: blank for name in [*template.variables(), "input"]}
        prompt = final_prompt(template, values, request.chat_template)
        scored = backend.continuation_logprobs(prompt, continuations)
        distributions.append(normalise([s.logprob for s in scored.scores]))
    return dict(zip(labels, mean_bias(distributions), strict=True))


def run_evaluation(
    backend: InferenceBackend,
    request: EvalRequest,
    on_result: Callable[[ItemResult], None],
    should_stop: Callable[[], bool],
    on_calibration: Callable[[dict[str, float]], None] | None = None,
) -> list[ItemResult]:
    """Score each item in order and report it as soon as it is known; returns the results so far.

    Items differ only after the shared instruction and examples, so the KV cache holds that prefix and each later
    item costs only its own query (rounded to the backend's prompt chunks). An item cut short by should_stop is
    dropped rather than scored on half an answer.
    """
    likelihood = request.rule == LIKELIHOOD
    bias: dict[str, float] | None = None
    if likelihood and request.calibrate and not should_stop():
        bias = calibration_bias(backend, request)
        if on_calibration is not None:
            on_calibration(bias)
    stop = stop_strings(request.template, request.chat_template)
    results: list[ItemResult] = []
    for item in request.items:
        if should_stop():
            break
        prompt = final_prompt(request.template, item.values, request.chat_template)
        if request.reset_cache_per_item:
            backend.reset_cache()
        started = time.perf_counter()
        try:
            if likelihood:
                found: ItemResult | None = _most_likely(backend, request, item, prompt, bias)
            else:
                found = _generated(backend, request, item, prompt, stop, should_stop)
        except StoppedError:  # Stop while the item's prompt was read: the run ends with the items done so far
            break
        except (InferenceError, FewShotError) as exc:
            line = translate("InferenceError", "Line {line}: {error}").format(line=item.line, error=exc)
            raise type(exc)(line) from exc
        if found is None:
            break
        result = replace(found, seconds=time.perf_counter() - started)
        results.append(result)
        on_result(result)
    return results


def _generated(backend: InferenceBackend, request: EvalRequest, item: TestItem, prompt: str,
               stop: tuple[str, ...], should_stop: Callable[[], bool]) -> ItemResult | None:
    pieces: list[str] = []
    stats = backend.generate(GenerationRequest(prompt, request.params, stop), pieces.append, should_stop)
    if stats.stopped:
        return None
    output = "".join(pieces).strip()
    return ItemResult(
        line=item.line, input=item.values.get("input", ""), expected=item.expected, output=output,
        variables={name: value for name, value in item.values.items() if name != "input"},
        passed=passes(request.rule, output, item, request.pattern), prompt_tokens=stats.prompt_tokens,
        evaluated_tokens=stats.evaluated_prompt_tokens, generated_tokens=stats.generated_tokens, seconds=0.0,
        prompt=prompt,
    )


def _most_likely(backend: InferenceBackend, request: EvalRequest, item: TestItem, prompt: str,
                 bias: dict[str, float] | None) -> ItemResult:
    template = request.template
    labels = template.item_labels(item.values)
    scored = backend.continuation_logprobs(prompt, [template.label_continuation(label) for label in labels])
    decision = decide(labels, [s.logprob for s in scored.scores],
                      None if bias is None else [bias[label] for label in labels])
    output = decision.label
    passed = passes(request.rule, output, item, request.pattern)
    if not passed and _letter_of(item.expected, len(labels)) == decision.predicted:
        passed = True  # choice texts as labels, the expected answer given as the choice's letter
    return ItemResult(
        line=item.line, input=item.values.get("input", ""), expected=item.expected, output=output,
        variables={name: value for name, value in item.values.items() if name != "input"},
        passed=passed, prompt_tokens=scored.prompt_tokens, evaluated_tokens=scored.evaluated_tokens,
        generated_tokens=0, seconds=0.0, prompt=prompt,
        probabilities=dict(zip(labels, decision.probabilities, strict=True)), margin=decision.margin,
    )


def _letter_of(expected: str, count: int) -> int | None:
    """"B" -> 1 when there are at least two labels; None for anything that is not a single choice letter."""
    letter = expected.strip().strip(".)(").upper()
    if len(letter) == 1 and "A" <= letter <= "Z" and ord(letter) - ord("A") < count:
        return ord(letter) - ord("A")
    return None


def record_run(
    backend: InferenceBackend,
    request: EvalRequest,
    run: EvalRun,
    on_result: Callable[[ItemResult], None] = lambda _result: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> EvalRun:
    """Run the request into `run`: its results, its calibration, and whether every item was scored."""

    def report(result: ItemResult) -> None:
        run.results.append(result)
        on_result(result)

    def calibrated(bias: dict[str, float]) -> None:
        run.calibration = dict(bias)

    run.results.clear()
    run_evaluation(backend, request, report, should_stop, calibrated)
    run.completed = len(run.results) == len(request.items)
    return run

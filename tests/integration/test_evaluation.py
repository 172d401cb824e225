"""Few-shot evaluation: the shared prefix is evaluated once per run, Stop ends it, results stream from the worker.

The fake-backend tests pin the loop's own rules; the others use the real llama.cpp and the built-in model,
because prefix reuse is a property of llama.cpp's KV cache that only evaluated-token counts can prove.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.core.fewshot import dataset
from desktop.core.fewshot.scoring import ItemResult
from desktop.core.fewshot.template import Example, FewShotTemplate, RenderMode
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import InferenceError, LoadOptions
from desktop.inference.evaluation import EvalRequest, run_evaluation
from desktop.inference.jobs import LoadRequest
from desktop.inference.llama.backend import LlamaBackend
from desktop.inference.prompt_chunks import MAX_CHUNK
from desktop.inference.worker import InferenceClient
from tests.fakes import FakeBackend

GEMMA = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>")
GREEDY = SamplingParams(temperature=0.0, max_tokens=4, seed=1)

SHOTS = [
    ("An absolute delight from start to finish.", "positive"),
    ("The plot made no sense and the acting was wooden.", "negative"),
    ("I laughed, I cried, I would watch it again tomorrow.", "positive"),
    ("Two hours of my life I will never get back.", "negative"),
    ("Beautifully shot, with a score that lingers.", "positive"),
    ("Dull, predictable and far too long.", "negative"),
    ("The cast is wonderful and the script is sharp.", "positive"),
    ("I walked out halfway through.", "negative"),
]
ITEMS = [
    ("A warm, funny and moving film.", "positive"),
    ("Boring. I fell asleep twice.", "negative"),
    ("One of the best films I have seen this year.", "positive"),
    ("The dialogue was painful to sit through.", "negative"),
    ("A joy to watch, with brilliant performances.", "positive"),
    ("Terrible pacing and a lazy ending.", "negative"),
    ("I loved every minute of it.", "positive"),
    ("A waste of a talented cast.", "negative"),
    ("Charming, clever and full of heart.", "positive"),
    ("Loud, messy and completely forgettable.", "negative"),
]


def sentiment_template(mode: RenderMode = RenderMode.COMPLETION) -> FewShotTemplate:
    return FewShotTemplate(
        name="Sentiment", instruction="Classify the sentiment of each movie review as positive or negative.",
        examples=[Example(text, label) for text, label in SHOTS], mode=mode,
        input_label="Review:", output_label="Sentiment:",
    )


def eval_request(items: int = len(ITEMS), **changes: object) -> EvalRequest:
    request = EvalRequest(
        template=sentiment_template(),
        items=tuple(dataset.TestItem(line, {"input": text}, label)
                    for line, (text, label) in enumerate(ITEMS[:items], start=2)),
        params=GREEDY, chat_template=None, rule="normalized",
    )
    return replace(request, **changes)  # type: ignore[arg-type]


# --- the loop's own rules, with the scripted backend ---------------------------------------------------------


def test_each_item_is_scored_reported_and_stripped() -> None:
    fake = FakeBackend(reply=" positive ")
    reported: list[ItemResult] = []
    results = run_evaluation(fake, eval_request(3), reported.append, lambda: False)
    assert reported == results and [r.line for r in results] == [2, 3, 4]
    assert [r.output for r in results] == ["positive"] * 3
    assert [r.passed for r in results] == [True, False, True]
    assert results[0].input == ITEMS[0][0] and results[0].expected == "positive"
    prompt = fake.requests[0].prompt
    assert prompt.startswith("Classify the sentiment") and prompt.endswith(f"Review: {ITEMS[0][0]}\nSentiment:")
    assert fake.requests[0].stop == sentiment_template().stop_strings() and "\nReview:" in fake.requests[0].stop
    assert fake.cache_resets == 0


def test_chat_mode_stops_at_the_chat_templates_end_of_turn() -> None:
    fake = FakeBackend(reply="negative")
    request = eval_request(1, template=sentiment_template(RenderMode.CHAT), chat_template=GEMMA)
    run_evaluation(fake, request, lambda _r: None, lambda: False)
    assert fake.requests[0].stop == GEMMA.stop
    assert fake.requests[0].prompt.endswith("<start_of_turn>model\n")


def test_reset_per_item_clears_the_cache_before_every_item() -> None:
    fake = FakeBackend(reply="positive")
    run_evaluation(fake, eval_request(4, reset_cache_per_item=True), lambda _r: None, lambda: False)
    assert fake.cache_resets == 4


def test_stop_between_items_and_mid_item() -> None:
    results: list[ItemResult] = []
    run_evaluation(FakeBackend(reply="positive"), eval_request(), results.append, lambda: len(results) >= 3)
    assert len(results) == 3

    # A stop inside an item drops that item: half an answer would be scored as wrong.
    fake = FakeBackend(reply="positive or negative")
    calls = iter(range(1000))
    assert run_evaluation(fake, eval_request(), lambda _r: None, lambda: next(calls) >= 1) == []
    assert len(fake.requests) == 1


def test_a_stop_while_the_prompt_is_read_ends_the_run_quietly() -> None:
    """The real backend raises StoppedError when Stop comes before the reply's first token; it used to be
    re-raised as "Line N: …" through a constructor that takes no message (a TypeError on the worker)."""
    from desktop.inference.context_fit import StoppedError

    class StoppedWhileReading(FakeBackend):
        def generate(self, request, on_text, should_stop, on_step=None):  # type: ignore[no-untyped-def]
            if len(self.requests) >= 2:
                raise StoppedError
            return super().generate(request, on_text, should_stop, on_step)

    results: list[ItemResult] = []
    assert len(run_evaluation(StoppedWhileReading(reply="positive"), eval_request(), results.append,
                              lambda: False)) == 2
    assert len(results) == 2


def test_backend_errors_name_the_line() -> None:
    with pytest.raises(InferenceError, match=r"^Line 2: No model is loaded"):
        run_evaluation(LlamaBackend(), eval_request(1), lambda _r: None, lambda: False)


# --- the real llama.cpp ---------------------------------------------------------------------------------------


@pytest.mark.integration
def test_shared_prefix_is_evaluated_once_per_run(backend: LlamaBackend) -> None:
    backend.reset_cache()
    reused = run_evaluation(backend, eval_request(), lambda _r: None, lambda: False)
    cold = run_evaluation(backend, eval_request(reset_cache_per_item=True), lambda _r: None, lambda: False)
    assert len(reused) == len(cold) == len(ITEMS)

    first, *later = reused
    assert first.evaluated_tokens == first.prompt_tokens > 150  # instruction + 8 examples + the query
    for result in later:
        assert result.evaluated_tokens < 0.3 * result.prompt_tokens, result
    assert all(r.evaluated_tokens == r.prompt_tokens for r in cold)
    reused_total, cold_total = (sum(r.evaluated_tokens for r in run) for run in (reused, cold))
    assert reused_total < 0.3 * cold_total, (reused_total, cold_total)

    # Greedy answers end at the stop string; the tiny model gets most of these obvious reviews right.
    assert all(r.output and "\n" not in r.output and "Review" not in r.output for r in reused)
    assert sum(r.passed for r in reused) >= 7, [(r.expected, r.output) for r in reused]


@pytest.mark.integration
def test_chat_mode_with_the_real_model(backend: LlamaBackend) -> None:
    request = eval_request(2, template=sentiment_template(RenderMode.CHAT), chat_template=GEMMA)
    results = run_evaluation(backend, request, lambda _r: None, lambda: False)
    assert len(results) == 2 and all(r.output and r.generated_tokens <= 4 for r in results)
    # The shared prefix comes from the cache up to a chunk end: at most one chunk plus the query is evaluated.
    assert results[1].evaluated_tokens < 0.5 * results[1].prompt_tokens
    assert results[1].evaluated_tokens <= MAX_CHUNK + 30


@pytest.fixture
def client(qtbot: QtBot, builtin_model: Path) -> Iterator[InferenceClient]:
    client = InferenceClient(LlamaBackend())
    with qtbot.waitSignal(client.submit(LoadRequest(builtin_model, LoadOptions(n_ctx=2048))).result, timeout=30000):
        pass
    yield client
    client.shutdown()


@pytest.mark.integration
def test_worker_streams_one_result_per_item(qtbot: QtBot, client: InferenceClient) -> None:
    streamed: list[ItemResult] = []
    job = client.submit(eval_request())
    job.item.connect(streamed.append)
    with qtbot.waitSignal(job.result, timeout=60000) as finished:
        pass
    assert finished.args[0] == streamed and len(streamed) == len(ITEMS)
    assert [r.line for r in streamed] == list(range(2, 2 + len(ITEMS)))


@pytest.mark.integration
def test_worker_stop_ends_the_run_early(qtbot: QtBot, client: InferenceClient) -> None:
    streamed: list[ItemResult] = []
    # Long answers so each item takes a while and the stop lands inside the run, not after it.
    job = client.submit(eval_request(params=GREEDY.with_changes(max_tokens=64)))

    def on_result(result: ItemResult) -> None:
        streamed.append(result)
        if len(streamed) == 2:
            job.cancel()

    job.item.connect(on_result)
    with qtbot.waitSignal(job.result, timeout=60000) as finished:
        pass
    assert 2 <= len(finished.args[0]) < len(ITEMS)
    assert finished.args[0] == streamed

    # The stop belonged to that job: the next run completes.
    again = client.submit(eval_request(3))
    with qtbot.waitSignal(again.result, timeout=60000) as done:
        pass
    assert len(done.args[0]) == 3


@pytest.mark.integration
def test_worker_reports_failures(qtbot: QtBot) -> None:
    client = InferenceClient(LlamaBackend())
    try:
        with qtbot.waitSignal(client.submit(eval_request(1)).failed, timeout=5000) as failed:
            pass
        assert failed.args[0].startswith("Line 2: No model is loaded")
    finally:
        client.shutdown()

""""Most likely answer": label log-likelihoods by teacher forcing with the real llama.cpp and the built-in model."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from desktop.core.fewshot.dataset import guess_mapping, read_table, to_test_items
from desktop.core.fewshot.likelihood import normalise
from desktop.core.fewshot.template import FewShotError, RenderMode, load_template, sample_templates_dir
from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import InferenceBackend, InferenceError
from desktop.inference.evaluation import EvalRequest, calibration_bias, run_evaluation
from desktop.inference.llama.backend import LlamaBackend
from tests.fakes import FakeBackend

pytestmark = pytest.mark.integration

GEMMA = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>")
GREEDY = SamplingParams(temperature=0.0, max_tokens=4, seed=1)
PROMPT = "<bos>Review: I loved every minute, a wonderful film.\nSentiment:"


def log_softmax(logits: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    row = logits.astype(np.float64)
    return row - (row.max() + math.log(float(np.exp(row - row.max()).sum())))


def test_a_multi_token_label_is_the_sum_of_its_tokens(backend: LlamaBackend) -> None:
    label = " overwhelmingly positive"
    scored = backend.continuation_logprobs(PROMPT, [label])
    prompt_ids = backend.tokenize(PROMPT)
    answer = backend.tokenize(PROMPT + label)[len(prompt_ids):]
    assert scored.scores[0].tokens == len(answer) > 1
    by_hand = 0.0
    for i, token in enumerate(answer):
        distribution = backend.next_token_distribution(PROMPT, answer[:i])
        by_hand += float(log_softmax(distribution.logits)[token])
    # The hand sum decodes each prefix as a prompt (other batch shapes), so it agrees closely, not bit for bit.
    assert scored.scores[0].logprob == pytest.approx(by_hand, abs=0.05)


def test_scores_are_identical_whatever_ran_before(backend: LlamaBackend) -> None:
    labels = [" positive", " negative", " mixed feelings"]
    backend.reset_cache()
    first = backend.continuation_logprobs(PROMPT, labels)
    backend.continuation_logprobs("<bos>Review: Dull and far too long.\nSentiment:", labels)
    again = backend.continuation_logprobs(PROMPT, labels)
    assert first.scores == again.scores
    assert again.evaluated_tokens <= again.prompt_tokens
    best = max(range(3), key=lambda i: first.scores[i].logprob)
    assert labels[best] == " positive"


def test_the_likeliest_single_token_label_is_the_greedy_token(backend: LlamaBackend) -> None:
    scored = backend.continuation_logprobs(PROMPT, [" positive", " negative"])
    distribution = backend.next_token_distribution(PROMPT)
    ids = [backend.tokenize(PROMPT + label)[-1] for label in (" positive", " negative")]
    expected = normalise([float(log_softmax(distribution.logits)[i]) for i in ids])
    assert normalise([s.logprob for s in scored.scores]) == pytest.approx(expected, abs=1e-6)


def test_a_label_that_becomes_no_tokens_is_a_message(backend: LlamaBackend) -> None:
    with pytest.raises(InferenceError, match="becomes no tokens"):
        backend.continuation_logprobs(PROMPT, [" positive", ""])


class TextOnlyBackend(FakeBackend):
    """An engine that streams text but has no log-probabilities: the contract's default."""

    continuation_logprobs = InferenceBackend.continuation_logprobs


def test_an_engine_without_log_probabilities_says_so() -> None:
    with pytest.raises(InferenceError, match="cannot return log-probabilities"):
        TextOnlyBackend().continuation_logprobs(PROMPT, [" a", " b"])


def sentiment_request(shots: int, mode: RenderMode = RenderMode.COMPLETION, rule: str = "likelihood",
                      calibrate: bool = False) -> EvalRequest:
    template = replace(load_template(sample_templates_dir() / "sentiment.json"), mode=mode)
    data = read_table(sample_templates_dir() / "sentiment-test.csv")
    items = to_test_items(data, guess_mapping(data.columns), template)
    return EvalRequest(template.with_shots(shots), tuple(items), GREEDY, GEMMA if mode is RenderMode.CHAT else None,
                       rule, calibrate=calibrate)


def test_zero_shot_likelihood_beats_reading_generated_text(backend: LlamaBackend) -> None:
    """The base model answers zero-shot with anything but the label; its probabilities still know the answer."""
    likely = run_evaluation(backend, sentiment_request(0), lambda _r: None, lambda: False)
    generated = run_evaluation(backend, sentiment_request(0, rule="normalized"), lambda _r: None, lambda: False)
    assert len(likely) == len(generated) == 20
    accuracy = sum(r.passed for r in likely) / 20
    assert accuracy >= 0.65 > sum(r.passed for r in generated) / 20
    for result in likely:
        assert set(result.probabilities) == {"positive", "negative"}
        assert sum(result.probabilities.values()) == pytest.approx(1.0)
        assert result.output == max(result.probabilities, key=lambda k: result.probabilities[k])
        assert result.margin == pytest.approx(abs(result.probabilities["positive"] - result.probabilities["negative"]))
        assert result.generated_tokens == 0 and result.prompt.endswith("Sentiment:")


def test_calibration_is_measured_once_and_recorded(backend: LlamaBackend) -> None:
    request = sentiment_request(0, calibrate=True)
    biases: list[dict[str, float]] = []
    results = run_evaluation(backend, request, lambda _r: None, lambda: False, biases.append)
    assert len(biases) == 1 and set(biases[0]) == {"positive", "negative"}
    assert sum(biases[0].values()) == pytest.approx(1.0)
    assert biases[0] == calibration_bias(backend, request)  # the same numbers when measured again
    assert sum(r.passed for r in results) >= 15


def test_four_shots_and_chat_mode(backend: LlamaBackend) -> None:
    four = run_evaluation(backend, sentiment_request(4), lambda _r: None, lambda: False)
    assert sum(r.passed for r in four) >= 18
    chat = run_evaluation(backend, sentiment_request(2, RenderMode.CHAT), lambda _r: None, lambda: False)
    assert len(chat) == 20 and all(r.prompt.endswith("<start_of_turn>model\n") for r in chat)


def test_labels_with_item_fields_and_letters(backend: LlamaBackend) -> None:
    template = load_template(sample_templates_dir() / "multiple-choice.json")
    data = read_table(sample_templates_dir() / "multiple-choice-test.csv")
    items = to_test_items(data, guess_mapping(data.columns), template)
    letters = run_evaluation(backend, EvalRequest(template, tuple(items[:4]), GREEDY, None, "likelihood"),
                             lambda _r: None, lambda: False)
    assert [set(r.probabilities) for r in letters] == [{"A", "B", "C", "D"}] * 4
    # The choice texts as labels, filled from the item; the expected answer stays the letter.
    texts = replace(template, labels=["{a}", "{b}"], examples=[], query_template="{input}")
    item = replace(items[0], values={**items[0].values, "a": "Warm", "b": "Cold"}, expected="B")
    result, = run_evaluation(backend, EvalRequest(texts, (item,), GREEDY, None, "likelihood"),
                             lambda _r: None, lambda: False)
    assert set(result.probabilities) == {"Warm", "Cold"}
    assert result.passed == (result.output == "Cold")
    same = replace(item, values={**item.values, "b": "warm "})
    with pytest.raises(FewShotError, match="appears twice"):
        run_evaluation(backend, EvalRequest(texts, (same,), GREEDY, None, "likelihood"), lambda _r: None,
                       lambda: False)

"""Token probabilities with the real llama.cpp and the built-in Gemma 3 270M."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from desktop.core.prompting.chat_template import BUILTIN_TEMPLATES
from desktop.core.prompting.probabilities import TokenStep, softmax
from desktop.core.prompting.sampling import SamplingParams
from desktop.inference.backend import GenerationRequest, LoadOptions
from desktop.inference.jobs import LoadRequest
from desktop.inference.llama.backend import LlamaBackend
from desktop.inference.worker import InferenceClient

pytestmark = pytest.mark.integration

GEMMA = BUILTIN_TEMPLATES["gemma"].to_chat_template("<bos>", "<eos>")
PROMPT = GEMMA.render([{"role": "user", "content": "Name three colours of the rainbow."}]).text


@pytest.fixture(scope="module")
def backend(builtin_model: Path) -> Iterator[LlamaBackend]:
    llama = LlamaBackend()
    llama.load(builtin_model, LoadOptions(n_ctx=1024))
    yield llama
    llama.unload()


def generate(backend: LlamaBackend, params: SamplingParams, alternatives: int = 5,
             forced: tuple[int, ...] = ()) -> tuple[str, list[TokenStep]]:
    pieces: list[str] = []
    steps: list[TokenStep] = []
    backend.generate(GenerationRequest(PROMPT, params, alternatives=alternatives, forced=forced), pieces.append,
                     lambda: False, steps.append)
    return "".join(pieces), steps


def test_every_token_has_alternatives_summing_to_at_most_one(backend: LlamaBackend) -> None:
    text, steps = generate(backend, SamplingParams(temperature=0.8, seed=3, max_tokens=40), alternatives=8)
    assert len(steps) == 40
    assert "".join(s.text for s in steps) == text
    for step in steps:
        probabilities = [a.probability for a in step.alternatives]
        assert len(probabilities) == 8
        assert sum(probabilities) <= 1.0 + 1e-5
        assert probabilities == sorted(probabilities, reverse=True)
        assert 0.0 < step.probability <= 1.0
        assert step.entropy >= 0.0
        chosen = [a for a in step.alternatives if a.token_id == step.token_id]
        if chosen:
            assert chosen[0].probability == pytest.approx(step.probability)


def test_greedy_token_is_the_top_alternative(backend: LlamaBackend) -> None:
    _text, steps = generate(backend, SamplingParams(temperature=0.0, repeat_penalty=1.0, max_tokens=24))
    assert steps
    for step in steps:
        assert step.alternatives[0].token_id == step.token_id
        assert step.probability == pytest.approx(step.alternatives[0].probability)


def test_recording_does_not_change_the_reply(backend: LlamaBackend) -> None:
    params = SamplingParams(temperature=0.9, seed=11, max_tokens=30)
    backend.reset_cache()
    with_steps, _ = generate(backend, params, alternatives=5)
    backend.reset_cache()
    without, steps = generate(backend, params, alternatives=0)
    assert with_steps == without and steps == []


def test_distribution_at_a_step_matches_what_was_recorded(backend: LlamaBackend) -> None:
    _text, steps = generate(backend, SamplingParams(temperature=0.0, repeat_penalty=1.0, max_tokens=12))
    k = 5
    distribution = backend.next_token_distribution(PROMPT, [s.token_id for s in steps[:k]], "step", steps[k].token_id)
    probabilities = softmax(distribution.logits)
    top = int(np.argmax(probabilities))
    assert top == steps[k].token_id
    assert probabilities[top] == pytest.approx(steps[k].probability, abs=0.02)
    assert distribution.text(top) == steps[k].alternatives[0].text


def test_continuing_from_an_alternative(backend: LlamaBackend) -> None:
    greedy = SamplingParams(temperature=0.0, repeat_penalty=1.0, max_tokens=16)
    _text, steps = generate(backend, greedy)
    second = steps[0].alternatives[1]
    text, continued = generate(backend, greedy, forced=(second.token_id,))
    assert continued and text  # the model goes on after the forced token, without repeating its text
    assert not text.startswith(second.text) or second.text.strip() == ""


def test_worker_delivers_steps_before_the_reply_finishes(qtbot: QtBot, builtin_model: Path) -> None:
    client = InferenceClient(LlamaBackend())
    order: list[str] = []
    steps: list[tuple[TokenStep, ...]] = []
    try:
        load = client.submit(LoadRequest(builtin_model, LoadOptions(n_ctx=512)))
        qtbot.waitSignal(load.result, timeout=60_000).wait()
        reply = client.submit(GenerationRequest(PROMPT, SamplingParams(seed=1, max_tokens=8), alternatives=3))
        reply.steps.connect(lambda s: (order.append("steps"), steps.append(s)))
        reply.result.connect(lambda _s: order.append("finished"))
        qtbot.waitSignal(reply.finished, timeout=60_000).wait()
        assert order == ["steps", "finished"] and len(steps[0]) == 8
    finally:
        client.shutdown()

"""Reading what servers send: per-token log-probabilities in both shapes (OpenAI's legacy completion shape, as vLLM
sends it, and llama-server's chat-style list), and an `echo` of the prompt's own log-probabilities (vLLM).

The real llama-server is tested end to end in tests/integration/engines; vLLM needs a GPU and cannot run here, so
its shapes are checked on replies written as its OpenAI-compatible API documents them."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from desktop.inference.remote.completions import token_step
from desktop.inference.remote.replies import completion_steps, echoed_tokens


def test_legacy_logprobs_become_steps_with_sorted_alternatives() -> None:
    choice = SimpleNamespace(logprobs={"tokens": [" Paris", "."], "token_logprobs": [-0.1, -0.5],
                                       "top_logprobs": [{" Lyon": -3.0, " Paris": -0.1}, {".": -0.5}]})
    steps = completion_steps(choice)
    assert [s.token for s in steps] == [" Paris", "."]
    assert [t[0] for t in steps[0].top] == [" Paris", " Lyon"]
    step = token_step(steps[0])
    assert step.probability == pytest.approx(math.exp(-0.1))
    assert step.token_id == step.alternatives[0].token_id < 0  # no ids from this server: stand-ins, consistent


def test_llama_server_logprobs_keep_token_ids() -> None:
    choice = SimpleNamespace(logprobs={"content": [
        {"id": 9, "token": " Paris", "logprob": -0.2,
         "top_logprobs": [{"id": 9, "token": " Paris", "logprob": -0.2}, {"id": 4, "token": " a", "logprob": -2.0}]},
    ]})
    step = token_step(completion_steps(choice)[0])
    assert step.token_id == 9 and [a.token_id for a in step.alternatives] == [9, 4]
    assert 0 < step.entropy < 1


def test_missing_or_odd_logprobs_give_no_steps() -> None:
    assert completion_steps(SimpleNamespace(logprobs=None)) == []
    assert completion_steps(SimpleNamespace(logprobs={"content": ["x", {"logprob": "nan?"}]})) == []
    assert completion_steps("not a choice") == []


def _echo_reply(tokens: list[str], values: list[float | None], prompt_tokens: int) -> object:
    offsets, at = [], 0
    for token in tokens:
        offsets.append(at)
        at += len(token)
    logprobs = SimpleNamespace(tokens=tokens, token_logprobs=values, text_offset=offsets)
    return SimpleNamespace(choices=[SimpleNamespace(logprobs=logprobs)],
                           usage=SimpleNamespace(prompt_tokens=prompt_tokens))


def test_an_echo_gives_the_prompts_tokens_without_the_generated_one() -> None:
    reply = _echo_reply(["The", " cat", " sat", " down"], [None, -2.0, -1.0, -0.5], prompt_tokens=3)
    assert echoed_tokens(reply) == [("The", None, 0), (" cat", -2.0, 3), (" sat", -1.0, 7)]


def test_a_reply_without_an_echo_is_refused() -> None:
    with pytest.raises(ValueError):
        echoed_tokens(SimpleNamespace(choices=[SimpleNamespace(logprobs=None)]))
    with pytest.raises(ValueError):
        echoed_tokens(_echo_reply(["x"], [], prompt_tokens=1))

"""A /v1/completions exchange in Parley's terms: the request's arguments for a GenerationRequest, and the reply's
timings and log-probabilities as GenerationStats and TokenStep (replies.py reads the raw shapes)."""

from __future__ import annotations

import math
from typing import Any

from desktop.core.conversations.messages import GenerationStats
from desktop.core.prompting.probabilities import LN2, MAX_ALTERNATIVES, Alternative, TokenStep
from desktop.inference.backend import GenerationRequest
from desktop.inference.remote.client import LLAMA_SERVER, VLLM, EngineProbe, RemoteModel
from desktop.inference.remote.replies import WireStep

__all__ = ["SERVER_MAX_LOGPROBS", "completion_arguments", "generation_stats", "token_step"]

SERVER_MAX_LOGPROBS = 20  # OpenAI's limit on top_logprobs; vLLM's default cap too


def completion_arguments(request: GenerationRequest, probe: EngineProbe, model: RemoteModel, sent: str,
                         stream: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """The /v1/completions arguments and the engine's extensions (extra_body) for this request; `sent` is the
    prompt's text as sent (see RemoteBackend._sent_prompt)."""
    params = request.params
    prompt: Any = sent
    if request.forced:  # llama-server reads text and token ids mixed in one prompt
        prompt = [sent, *request.forced]
    args: dict[str, Any] = {"model": model.id, "prompt": prompt, "stream": stream,
                            "max_tokens": params.max_tokens, "temperature": params.temperature,
                            "top_p": params.top_p}
    if params.seed >= 0:
        args["seed"] = params.seed
    if request.stop:
        args["stop"] = list(request.stop)[:4] if probe.kind not in (LLAMA_SERVER, VLLM) else list(request.stop)
    extra: dict[str, Any] = {}
    if probe.kind == LLAMA_SERVER:
        extra.update(top_k=params.top_k, min_p=params.min_p, repeat_penalty=params.repeat_penalty,
                     # A fixed seed or a cold start asks for reproducibility: the whole prompt is evaluated
                     # again, since a reused cache can change the numbers.
                     cache_prompt=not (request.fresh or params.seed >= 0))
    elif probe.kind == VLLM:
        extra.update(top_k=params.top_k if params.top_k > 0 else -1, min_p=params.min_p,
                     repetition_penalty=params.repeat_penalty)
    if request.alternatives > 0 and probe.capabilities.token_probabilities:
        args["logprobs"] = min(request.alternatives, MAX_ALTERNATIVES, SERVER_MAX_LOGPROBS)
    if stream:
        args["stream_options"] = {"include_usage": True}
    return args, extra


def generation_stats(timings: dict[str, Any], usage: Any, chunks: int, started: float, first_at: float,
                     finished: float, stopped: bool, context_full: bool, dropped: int) -> GenerationStats:
    """The server's own timings where it sends them (llama-server), else what Parley measured."""
    predicted = _int(timings.get("predicted_n")) or _int(getattr(usage, "completion_tokens", None)) or chunks
    prompt_n = _int(timings.get("prompt_n"))
    cached = _int(timings.get("cache_n"))
    prompt_tokens = (prompt_n + cached) if timings else _int(getattr(usage, "prompt_tokens", None))
    rate = _float(timings.get("predicted_per_second"))
    if not rate:
        decode = finished - first_at
        rate = (predicted - 1) / decode if predicted > 1 and decode > 0 else 0.0
    prompt_ms = _float(timings.get("prompt_ms"))  # the server's time on the prompt: its first token's wait
    return GenerationStats(
        prompt_tokens=prompt_tokens, cached_tokens=cached, generated_tokens=predicted,
        time_to_first_token=prompt_ms / 1000 if prompt_ms else first_at - started, tokens_per_second=rate,
        stopped=stopped,
        dropped_turns=dropped, context_full=context_full,
    )


def token_step(step: WireStep) -> TokenStep:
    """A generated token as the token view shows it, from the server's log-probabilities (top alternatives only:
    the entropy is over those)."""
    alternatives = tuple(
        Alternative(token_id if token_id is not None else -1 - n, text, math.exp(value), value)
        for n, (text, value, token_id) in enumerate(step.top)
    )
    probs = [a.probability for a in alternatives if a.probability > 0]
    entropy = -sum(p * math.log(p) for p in probs) / LN2 if probs else 0.0
    token_id = step.token_id if step.token_id is not None else next(
        (a.token_id for a in alternatives if a.text == step.token), -1)
    return TokenStep(token_id, step.token, math.exp(step.logprob), max(entropy, 0.0), alternatives)


def _int(value: object) -> int:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def _float(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0

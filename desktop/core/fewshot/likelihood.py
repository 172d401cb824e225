"""Label-likelihood scoring: pick the answer the model finds most probable instead of reading generated text.

The standard way to evaluate few-shot classification (Brown et al. 2020; lm-evaluation-harness): each label's
tokens are scored after the prompt by teacher forcing, the label with the highest summed log-probability is the
prediction. Contextual calibration (Zhao et al. 2021, "Calibrate Before Use") divides out the bias the prompt
itself gives each label, estimated from content-free inputs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# The content-free inputs of Zhao et al.: each goes through the same prompt in place of the test input.
CONTENT_FREE_INPUTS: tuple[str, ...] = ("N/A", "", "[MASK]")


@dataclass(frozen=True)
class ContinuationScore:
    """One answer's tokens after the prompt: their summed log-probability (natural log) and how many there were."""

    logprob: float
    tokens: int


@dataclass(frozen=True)
class ContinuationScores:
    scores: tuple[ContinuationScore, ...]
    prompt_tokens: int
    evaluated_tokens: int  # prompt tokens actually decoded (the rest came from the KV cache)


@dataclass(frozen=True)
class LabelDecision:
    labels: tuple[str, ...]
    logprobs: tuple[float, ...]  # summed log-probability of each label's tokens
    probabilities: tuple[float, ...]  # normalised over the label set; calibrated when a bias was given
    predicted: int  # index into labels

    @property
    def label(self) -> str:
        return self.labels[self.predicted]

    @property
    def margin(self) -> float:
        """How far the prediction is ahead of the runner-up, in normalised probability (1.0 with one label)."""
        ranked = sorted(self.probabilities, reverse=True)
        return ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)


def normalise(logprobs: Sequence[float]) -> list[float]:
    """Softmax over the label set: each label's share of the probability the model gave the whole set."""
    if not logprobs:
        raise ValueError("There are no labels to normalise.")
    best = max(logprobs)
    if best == -math.inf:
        return [1.0 / len(logprobs)] * len(logprobs)
    weights = [math.exp(v - best) for v in logprobs]
    total = math.fsum(weights)
    return [w / total for w in weights]


def mean_bias(distributions: Sequence[Sequence[float]]) -> list[float]:
    """The average normalised label distribution over the content-free inputs: the prompt's own preference."""
    if not distributions:
        raise ValueError("Calibration needs at least one content-free input.")
    width = len(distributions[0])
    if any(len(d) != width for d in distributions):
        raise ValueError("Every content-free distribution must cover the same labels.")
    return [math.fsum(d[i] for d in distributions) / len(distributions) for i in range(width)]


def calibrate(probabilities: Sequence[float], bias: Sequence[float]) -> list[float]:
    """Divide out the bias and renormalise (the diagonal W = diag(bias)^-1 of Zhao et al., b = 0)."""
    if len(probabilities) != len(bias):
        raise ValueError("The calibration covers a different number of labels.")
    floor = 1e-12  # a label the content-free prompts never chose must not divide by zero
    scaled = [p / max(b, floor) for p, b in zip(probabilities, bias, strict=True)]
    total = math.fsum(scaled)
    if total <= 0:
        return [1.0 / len(scaled)] * len(scaled)
    return [s / total for s in scaled]


def decide(labels: Sequence[str], logprobs: Sequence[float], bias: Sequence[float] | None = None) -> LabelDecision:
    """The most likely label; ties go to the label listed first, so a decision never depends on luck."""
    if len(labels) != len(logprobs):
        raise ValueError("Each label needs exactly one log-probability.")
    probabilities = normalise(logprobs)
    if bias is not None:
        probabilities = calibrate(probabilities, bias)
    best = max(range(len(labels)), key=lambda i: (probabilities[i], -i))
    return LabelDecision(tuple(labels), tuple(logprobs), tuple(probabilities), best)

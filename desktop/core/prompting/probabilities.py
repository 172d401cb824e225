"""Next-token probabilities: what the model predicted at each step, and what sampling did to it.

The cut-offs follow llama.cpp's sampler chain as Parley configures it: repeat penalty, top-k, top-p,
min-p on the model's own probabilities, then temperature over the tokens that are left, then the draw.
Temperature 0 is greedy: the single most likely token.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from desktop.core.prompting.characters import keeps_bytes
from desktop.core.prompting.sampling import SamplingParams

DEFAULT_ALTERNATIVES = 5
MAX_ALTERNATIVES = 20
LN2 = math.log(2.0)

Logits = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Alternative:
    """A candidate next token with the model's probability (temperature 1, before any cut-off).

    `text` is for showing (part of a character as ‹E6 88›); `raw` is the token's bytes, where known.
    """

    token_id: int
    text: str
    probability: float
    logit: float
    raw: bytes | None = None

    def to_json(self) -> list[object]:
        data: list[object] = [self.token_id, self.text, round(self.probability, 6), round(self.logit, 4)]
        if self.raw is not None and keeps_bytes(self.raw, self.text):
            data.append(self.raw.hex())
        return data

    @staticmethod
    def from_json(data: Sequence[object]) -> Alternative:
        token_id, text, probability, logit, *rest = data
        return Alternative(int(token_id), str(text), float(probability), float(logit),  # type: ignore[call-overload, arg-type]
                           _raw_from_json(rest))


@dataclass(frozen=True)
class TokenStep:
    """One generated token: its text, how likely the model found it, and what else it considered.

    `text` is what this token added to the reply; it is "" when the token is the first half of a
    character that the next token completes. `entropy` is in bits: 0 when the model was certain,
    log2(n) when it spread evenly over n tokens. `raw` is the token's bytes, where the engine gave them
    (None in replies saved before Parley kept them); see desktop.core.prompting.characters.
    """

    token_id: int
    text: str
    probability: float
    entropy: float
    alternatives: tuple[Alternative, ...]
    raw: bytes | None = None

    def to_json(self) -> list[object]:
        """[id, text, probability, entropy, alternatives], then the bytes in hex where the text does not show
        them (part of a character); saved replies without them still load."""
        data: list[object] = [self.token_id, self.text, round(self.probability, 6), round(self.entropy, 4),
                              [a.to_json() for a in self.alternatives]]
        if self.raw is not None and keeps_bytes(self.raw, self.text):
            data.append(self.raw.hex())
        return data

    @staticmethod
    def from_json(data: Sequence[object]) -> TokenStep:
        token_id, text, probability, entropy, alternatives, *rest = data
        return TokenStep(
            int(token_id), str(text), float(probability), float(entropy),  # type: ignore[call-overload, arg-type]
            tuple(Alternative.from_json(a) for a in alternatives),  # type: ignore[attr-defined]
            _raw_from_json(rest),
        )


def _raw_from_json(rest: Sequence[object]) -> bytes | None:
    """Saved bytes (hex) after the fixed fields, or None where there are none."""
    return bytes.fromhex(rest[0]) if rest and isinstance(rest[0], str) else None


@dataclass(frozen=True)
class TokenPiece:
    """One token of a prompt as llama.cpp reads it: id, text, and whether it is a special (control) token.

    `text` is what the token adds to the prompt ("" for a token ending inside a character, the next one then
    adds the whole character); `raw` its bytes, where the engine gave them.
    """

    token_id: int
    text: str
    special: bool
    raw: bytes | None = None


def steps_to_json(steps: Sequence[TokenStep]) -> list[list[object]]:
    return [step.to_json() for step in steps]


def steps_from_json(data: object) -> tuple[TokenStep, ...]:
    """Steps saved with a message; anything malformed gives no steps rather than an error."""
    if not isinstance(data, list):
        return ()
    try:
        return tuple(TokenStep.from_json(item) for item in data)
    except (TypeError, ValueError, IndexError, KeyError, OverflowError):  # e.g. a dict, or an infinite id
        return ()


def step_offsets(steps: Sequence[TokenStep]) -> list[tuple[int, int]]:
    """(start, end) of each step's text within the concatenated reply text."""
    offsets = []
    position = 0
    for step in steps:
        offsets.append((position, position + len(step.text)))
        position += len(step.text)
    return offsets


# --- maths over a full vocabulary of logits (numpy; a few milliseconds for 262k tokens) ---------------

def softmax(logits: npt.ArrayLike, temperature: float = 1.0) -> npt.NDArray[np.float64]:
    """Probabilities from logits at a temperature; temperature 0 puts all mass on the largest logit."""
    values = np.asarray(logits, dtype=np.float64)
    if values.size == 0:
        return values
    if temperature <= 0:
        result = np.zeros_like(values)
        result[int(np.argmax(values))] = 1.0
        return result
    scaled = (values - values.max()) / temperature
    exp = np.exp(scaled)
    return np.asarray(exp / exp.sum(), dtype=np.float64)


def entropy_bits(probabilities: npt.NDArray[np.float64]) -> float:
    nonzero = probabilities[probabilities > 0]
    return float(-(nonzero * np.log2(nonzero)).sum())


def top_k_mask(probabilities: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.bool_]:
    """The k most likely tokens (ties broken by token id); k <= 0 or k >= vocabulary keeps all."""
    n = probabilities.size
    if k <= 0 or k >= n:
        return np.ones(n, dtype=bool)
    # O(n) instead of a full sort: everything above the k-th largest value, then ties at it by lowest id
    kth = probabilities[np.argpartition(-probabilities, k - 1)[k - 1]]
    above = np.flatnonzero(probabilities > kth)
    ties = np.flatnonzero(probabilities == kth)[: k - above.size]
    mask = np.zeros(n, dtype=bool)
    mask[above] = True
    mask[ties] = True
    return mask


def top_p_mask(probabilities: npt.NDArray[np.float64], p: float, min_keep: int = 1) -> npt.NDArray[np.bool_]:
    """The smallest set of most likely tokens whose probabilities add up to at least p (p >= 1 keeps all).

    `probabilities` are renormalised over the tokens passed in, as llama.cpp does after top-k.
    """
    n = probabilities.size
    if p >= 1.0 or n == 0:
        return np.ones(n, dtype=bool)
    candidates = np.flatnonzero(probabilities > 0)  # tokens already cut (zero) sort last: skip them
    if candidates.size < max(1, min_keep):
        candidates = np.arange(n)
    order = candidates[np.argsort(-probabilities[candidates], kind="stable")]
    total = probabilities.sum()
    cumulative = np.cumsum(probabilities[order]) / (total if total > 0 else 1.0)
    keep = int(np.searchsorted(cumulative, p, side="left")) + 1  # first index where the sum reaches p
    keep = max(min_keep, min(keep, order.size))
    mask = np.zeros(n, dtype=bool)
    mask[order[:keep]] = True
    return mask


def min_p_mask(probabilities: npt.NDArray[np.float64], min_p: float, min_keep: int = 1) -> npt.NDArray[np.bool_]:
    """Tokens at least min_p times as likely as the most likely one (min_p <= 0 keeps all)."""
    n = probabilities.size
    if min_p <= 0 or n == 0:
        return np.ones(n, dtype=bool)
    mask = probabilities >= min_p * probabilities.max()
    if int(mask.sum()) < min_keep:
        mask = top_k_mask(probabilities, min_keep)
    return np.asarray(mask, dtype=bool)


@dataclass(frozen=True)
class SamplingStages:
    """One step's distribution through the sampler, every array over the same token ids.

    raw: the model's probabilities (temperature 1). tempered: the whole distribution at the chosen
    temperature, for comparison. kept: tokens surviving top-k, top-p and min-p. final: what the draw
    actually uses: tempered over the kept tokens only, renormalised (zero elsewhere).
    """

    token_ids: npt.NDArray[np.int64]
    raw: npt.NDArray[np.float64]
    tempered: npt.NDArray[np.float64]
    kept: npt.NDArray[np.bool_]
    final: npt.NDArray[np.float64]
    after_top_k: int = 0
    after_top_p: int = 0
    after_min_p: int = 0

    @property
    def kept_count(self) -> int:
        return int(self.kept.sum())


def sampling_stages(logits: npt.ArrayLike, params: SamplingParams) -> SamplingStages:
    """Apply Parley's sampler chain (without the repeat penalty, which depends on the history)."""
    values = np.asarray(logits, dtype=np.float64)
    ids = np.arange(values.size, dtype=np.int64)
    raw = softmax(values)
    tempered = softmax(values, params.temperature)
    if params.temperature <= 0:  # greedy: llama.cpp skips the cut-offs entirely
        kept = tempered > 0
        return SamplingStages(ids, raw, tempered, kept, tempered.copy(), 1, 1, 1)
    kept = top_k_mask(raw, params.top_k)
    after_top_k = int(kept.sum())
    renormalised = np.where(kept, raw, 0.0)
    kept &= top_p_mask(renormalised, params.top_p)
    after_top_p = int(kept.sum())
    renormalised = np.where(kept, raw, 0.0)
    kept &= min_p_mask(renormalised, params.min_p)
    after_min_p = int(kept.sum())
    final = np.zeros_like(values)
    final[kept] = softmax(values[kept], params.temperature)
    return SamplingStages(ids, raw, tempered, kept, final, after_top_k, after_top_p, after_min_p)


@dataclass(frozen=True)
class NextTokenDistribution:
    """The model's logits for one next token (the whole vocabulary), and the text of the likeliest tokens.

    `context` says where the distribution was taken, for the caption ("after the prompt", "token 12 of
    the reply"). `chosen` is the token that was actually generated there, or -1.
    """

    logits: Logits
    texts: dict[int, str]
    context: str = ""
    chosen: int = -1

    def text(self, token_id: int) -> str:
        return self.texts.get(token_id, f"#{token_id}")


class AlternativesScanner:
    """The likeliest next tokens and the entropy, from one step's logits; runs after every generated token.

    Kept to about a millisecond for a 262k-token vocabulary: a few passes over the logits into buffers
    reused from step to step (fresh 1 MB arrays would cost page faults each time), and a sort of only the
    tokens near the top (within e^-12 of the best, usually a few dozen).
    """

    def __init__(self) -> None:
        self._size = 0
        self._shifted = np.empty(0, dtype=np.float32)
        self._exp = np.empty(0, dtype=np.float32)
        self._near = np.empty(0, dtype=np.bool_)

    def __call__(self, logits: Logits, count: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], float]:
        """The `count` likeliest token ids (most likely first), their probabilities, and the entropy in bits."""
        values = np.asarray(logits, dtype=np.float32)
        if values.size != self._size:
            self._size = values.size
            self._shifted = np.empty(values.size, dtype=np.float32)
            self._exp = np.empty(values.size, dtype=np.float32)
            self._near = np.empty(values.size, dtype=np.bool_)
        shifted, exp = self._shifted, self._exp
        best = values.max()
        np.subtract(values, best, out=shifted)
        # A banned token's logit is -inf: clamped, its exp is still 0 and 0 * shift stays finite.
        np.maximum(shifted, np.float32(-1e4), out=shifted)
        np.exp(shifted, out=exp)
        total = float(exp.sum())  # numpy's pairwise float32 sum: accurate to ~1e-7 relative here
        # H = log Z - E[l - best] (nats), Z the sum of exp(l - best). einsum, not np.dot: a BLAS call would
        # wake OpenBLAS's spinning threads, which fight llama.cpp's threads for the cores.
        mean_shift = float(np.einsum("i,i->", exp, shifted)) / total
        entropy = (math.log(total) - mean_shift) / LN2
        count = max(1, min(count, values.size))
        np.greater_equal(shifted, np.float32(-12.0), out=self._near)
        candidates = np.flatnonzero(self._near)
        if not count <= candidates.size <= 4096:
            candidates = np.argpartition(values, -count)[-count:] if count < values.size else np.arange(values.size)
        order = candidates[np.argsort(-values[candidates], kind="stable")][:count]
        probabilities = exp[order].astype(np.float64) / total
        return order.astype(np.int64), probabilities, max(0.0, entropy)


def top_alternatives(logits: Logits, count: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], float]:
    """The `count` likeliest token ids (most likely first), their probabilities, and the entropy in bits."""
    return AlternativesScanner()(logits, count)

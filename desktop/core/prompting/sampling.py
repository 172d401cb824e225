"""Sampling parameters: one place for their ranges, defaults and presets."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from desktop.core.errors import ParleyError
from desktop.core.i18n import translate

RANDOM_SEED = -1


class SamplingError(ParleyError, ValueError):
    """A sampling value out of range; str() names the setting and its allowed range."""


@dataclass(frozen=True)
class Range:
    low: float
    high: float


RANGES: dict[str, Range] = {
    "temperature": Range(0.0, 2.0),
    "top_p": Range(0.0, 1.0),
    "top_k": Range(0, 1000),
    "min_p": Range(0.0, 1.0),
    "repeat_penalty": Range(1.0, 2.0),
    "max_tokens": Range(1, 32768),
    "seed": Range(RANDOM_SEED, 2**31 - 1),
}


@dataclass(frozen=True)
class SamplingParams:
    """How the next token is picked. top_k 0 means off; seed -1 means a new random seed each time."""

    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    max_tokens: int = 512
    seed: int = RANDOM_SEED

    def __post_init__(self) -> None:
        for name, allowed in RANGES.items():
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise SamplingError(translate("SamplingError", "{name} must be a number, not {value}").format(
                    name=name, value=repr(value)))
            if not allowed.low <= value <= allowed.high:
                raise SamplingError(translate("SamplingError", "{name} must be between {low} and {high}; got {value}"
                                              ).format(name=name, low=f"{allowed.low:g}", high=f"{allowed.high:g}",
                                                       value=f"{value:g}"))
        for name in ("top_k", "max_tokens", "seed"):
            if int(getattr(self, name)) != getattr(self, name):
                raise SamplingError(translate("SamplingError", "{name} must be a whole number; got {value}").format(
                    name=name, value=repr(getattr(self, name))))

    def with_changes(self, **changes: Any) -> SamplingParams:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


PRESETS: dict[str, SamplingParams] = {
    "Precise": SamplingParams(temperature=0.2, top_p=0.9, top_k=20, min_p=0.1, repeat_penalty=1.1),
    "Balanced": SamplingParams(),
    "Creative": SamplingParams(temperature=1.1, top_p=0.98, top_k=100, min_p=0.02, repeat_penalty=1.05),
}


# Few-shot runs (the workbench and `parley eval` alike): greedy and short, so a score does not depend on luck and
# the same run gives the same answers.
EVAL_TEMPERATURE = 0.0
EVAL_MAX_TOKENS = 16  # labels and short answers; a longer answer is usually already wrong
EVAL_SEED = 42


def eval_params(temperature: float = EVAL_TEMPERATURE, max_tokens: int = EVAL_MAX_TOKENS,
                seed: int = EVAL_SEED) -> SamplingParams:
    """The sampling of a few-shot run: everything but these three at Parley's defaults, as `parley eval` uses."""
    return SamplingParams(temperature=temperature, max_tokens=max_tokens, seed=seed)


def preset_name(key: str) -> str:
    """A sampling preset's name as shown (the key, English, is what settings store); "Custom" is the sampling
    panel's name for values that match no preset."""
    names = {"Precise": translate("SamplingPresets", "Precise"), "Balanced": translate("SamplingPresets", "Balanced"),
             "Creative": translate("SamplingPresets", "Creative"), "Custom": translate("SamplingPresets", "Custom")}
    return names.get(key, key)

"""Ready experiments for the Compare page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.core.i18n import translate
from desktop.core.instruments.experiment import CompareConfig
from desktop.core.models.builtin import BASE_NAME, CHAT_NAME, is_base_builtin, is_chat_builtin
from desktop.core.prompting.sampling import SamplingParams

PROMPT = "List three fruits."
MAX_TOKENS = 96


def explanation() -> str:
    return translate(
        "ComparePresets",
        "Ready: press Run all. The same prompt goes to both with the same settings (greedy). The base model continues "
        "the text it is given; the instruction-tuned one was trained further on requests with good answers (and on "
        "which answers people prefer), so it answers. That is the difference instruction tuning makes.")


@dataclass(frozen=True)
class Preset:
    prompt: str
    configs: tuple[CompareConfig, ...]
    explanation: str


def base_vs_instruct(library: Sequence[Path], defaults: SamplingParams) -> Preset | str:
    """The two built-in models side by side, or why not (a message naming what is missing)."""
    base = next((p for p in library if is_base_builtin(p)), None)
    chat = next((p for p in library if is_chat_builtin(p)), None)
    if base is None or chat is None:
        names = [name for name, path in ((BASE_NAME, base), (CHAT_NAME, chat)) if path is None]
        missing = translate("ComparePresets", " and ").join(names)
        return translate("ComparePresets",
                         "This experiment needs both built-in models; {missing} is not in the library.").format(
            missing=missing)
    params = defaults.with_changes(temperature=0.0, max_tokens=MAX_TOKENS)
    base_label = translate("ComparePresets", "Base: {model}").format(model=BASE_NAME)
    chat_label = translate("ComparePresets", "Instruction-tuned: {model}").format(model=CHAT_NAME)
    return Preset(PROMPT, (CompareConfig(base_label, str(base), "", params),
                           CompareConfig(chat_label, str(chat), "", params)), explanation())

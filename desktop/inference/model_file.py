"""The loaded model's files as they were at load: llama.cpp maps them into memory, so a file truncated or
rewritten while loaded would kill the process (SIGBUS) at the next read of its weights. Every generation, scoring
and evaluation checks the size and modification time first and refuses with a message instead."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from desktop.core.i18n import translate
from desktop.core.models.library import SHARD_PATTERN
from desktop.inference.backend import InferenceError


@dataclass(frozen=True)
class FileStamp:
    path: Path
    size: int
    mtime_ns: int


def model_files(path: Path) -> list[Path]:
    """The file llama.cpp loads and, for a split model, the other shards it opens by name."""
    match = SHARD_PATTERN.match(path.name)
    if match is None:
        return [path]
    count = int(match["count"])
    return [path.with_name(f"{match['stem']}-{i:05d}-of-{count:05d}.gguf") for i in range(1, count + 1)]


def stamp_files(path: Path) -> tuple[FileStamp, ...]:
    stamps = []
    for file in model_files(path):
        try:
            info = os.stat(file)
        except OSError:
            continue
        stamps.append(FileStamp(file, info.st_size, info.st_mtime_ns))
    return tuple(stamps)


def check_unchanged(stamps: tuple[FileStamp, ...]) -> None:
    """Raise InferenceError when a loaded model file is gone, or its size or modification time changed."""
    for stamp in stamps:
        try:
            info = os.stat(stamp.path)
        except OSError:
            raise InferenceError(translate(
                "InferenceError", "The model file {name} is no longer on disk, so Parley cannot use it any more (it "
                "was loaded from there). Load a model from the Models page.").format(name=stamp.path.name)) from None
        if info.st_size != stamp.size or info.st_mtime_ns != stamp.mtime_ns:
            if info.st_size != stamp.size:
                change = translate("InferenceError", "size {then:,} bytes when loaded, {now:,} now").format(
                    then=stamp.size, now=info.st_size)
            else:
                change = translate("InferenceError", "modified since")
            raise InferenceError(translate(
                "InferenceError", "The model file {name} changed on disk since it was loaded ({change}). Reload it "
                "from the Models page.").format(name=stamp.path.name, change=change))

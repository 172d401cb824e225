"""What the Hub lists: a repository found by a search, and the GGUF files in one, read from their names.

A file's quantization and its place in a split model come from its name, so they are known before any download
(also when resuming one from its sidecar).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

__all__ = ["RepoFile", "RepoSummary", "make_repo_file", "model_files"]

# Q4_K_M, Q8_0, IQ4_XS, IQ2_XXS, TQ1_0, Q4_0_4_4, F16, BF16, F32, MXFP4 (also lower case).
_QUANT_RE = re.compile(r"(?<![A-Za-z0-9])(I?Q\d+(?:_[A-Z0-9]{1,3})*|TQ\d_\d|BF16|FP16|F16|F32|MXFP4)(?![A-Za-z0-9])",
                       re.IGNORECASE)
_SHARD_RE = re.compile(r"-(\d{3,5})-of-(\d{3,5})\.gguf$", re.IGNORECASE)
_SHARD_SUFFIX = re.compile(r"-\d{3,5}-of-\d{3,5}\.gguf$", re.IGNORECASE)


@dataclass(frozen=True)
class RepoSummary:
    """One search result: enough to list and sort repositories without fetching each one."""

    repo_id: str
    downloads: int
    likes: int
    last_modified: datetime | None
    gated: bool


@dataclass(frozen=True)
class RepoFile:
    """One .gguf file in a repository, with what the download needs to verify it."""

    path: str
    size: int
    sha256: str | None
    quantization: str | None
    shard_index: int | None
    shard_count: int | None


def make_repo_file(path: str, size: int, sha256: str | None) -> RepoFile:
    """A RepoFile with quantization and shard numbers parsed from the name (also for resuming from a sidecar)."""
    name = path.rsplit("/", 1)[-1]
    shard = _SHARD_RE.search(name)
    stem = name[: shard.start()] if shard else re.sub(r"\.gguf$", "", name, flags=re.IGNORECASE)
    quants = _QUANT_RE.findall(stem)
    return RepoFile(
        path=path, size=size, sha256=sha256.lower() if sha256 else None,
        quantization=quants[-1].upper() if quants else None,
        shard_index=int(shard.group(1)) if shard else None,
        shard_count=int(shard.group(2)) if shard else None,
    )


def model_files(files: list[RepoFile], file: RepoFile) -> list[RepoFile]:
    """All shards of the model `file` belongs to (just `file` when it is not split)."""
    if file.shard_count is None:
        return [file]
    stem = _SHARD_SUFFIX.sub("", file.path)
    return sorted((f for f in files if f.shard_count is not None and _SHARD_SUFFIX.sub("", f.path) == stem),
                  key=lambda f: f.shard_index or 0)

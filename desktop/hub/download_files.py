"""Around a download: its state and progress, partial file names, unfinished downloads to resume, hashing, sizes."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import httpx2

from desktop.core.i18n import translate
from desktop.hub.names import unsafe_name_reason

__all__ = ["PARTIAL_DIR", "DownloadProgress", "DownloadState", "existing_parent", "fmt", "hash_file", "partial_name",
           "pending_downloads", "total_size"]

PARTIAL_DIR = ".downloads"  # inside the models folder; hidden, so the library scan never lists partial files
_MAX_PARTIAL_STEM = 240  # bytes; the partial, sidecar (.json.tmp) and lock names must stay under 255
_BLOCK = 1 << 20
_CONTENT_RANGE = re.compile(r"^bytes (?:(\d+)-\d+|\*)/(\d+)$")


class DownloadState(Enum):
    QUEUED = "queued"
    RUNNING = "running"
    PAUSED = "paused"
    VERIFYING = "verifying"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class DownloadProgress:
    """Bytes on disk so far, the file size, and the recent transfer speed."""

    done: int
    total: int
    bytes_per_second: float

    @property
    def seconds_left(self) -> float | None:
        """Estimated time to finish at the current speed; None while the speed is unknown."""
        if self.done >= self.total:
            return 0.0
        return (self.total - self.done) / self.bytes_per_second if self.bytes_per_second > 0 else None


def partial_name(repo_id: str, name: str) -> str:
    """'owner--repo--name.part', or a fixed-length hashed name when that would be too long for a file system."""
    stem = f"{repo_id.replace('/', '--')}--{name}"
    if len(stem.encode("utf-8")) > _MAX_PARTIAL_STEM:
        stem = hashlib.sha256(f"{repo_id}/{name}".encode()).hexdigest()[:40] + ".gguf"
    return stem + ".part"


def pending_downloads(models_dir: Path) -> list[dict[str, object]]:
    """Unfinished downloads (their sidecars in .downloads), with the bytes already on disk, for resuming.

    A sidecar whose file name Parley would refuse (a damaged or planted one) is skipped."""
    found: list[dict[str, object]] = []
    folder = Path(models_dir) / PARTIAL_DIR
    for sidecar in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            continue
        if not isinstance(meta, dict) or not {"repo", "path", "size"} <= meta.keys():
            continue
        if not isinstance(meta["path"], str) or unsafe_name_reason(meta["path"]) is not None:
            continue
        partial = sidecar.with_suffix(".part")
        meta["partial"] = str(partial)
        try:
            meta["done"] = partial.stat().st_size if partial.exists() else 0
        except OSError:
            continue
        found.append(meta)
    return found


def hash_file(path: Path, length: int, check: Callable[[], None] | None = None) -> hashlib._Hash:
    """SHA-256 of the first `length` bytes of a file; `check` runs between blocks (so pause works here too)."""
    hasher, count = hashlib.sha256(), 0
    if length:
        with open(path, "rb") as f:
            while count < length and (block := f.read(min(_BLOCK, length - count))):
                hasher.update(block)
                count += len(block)
                if check is not None:
                    check()
    return hasher


def existing_parent(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def fmt(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}"
    return translate("HubError", "{count:,} bytes").format(count=n)


def total_size(response: httpx2.Response) -> int | None:
    """The whole file's size as this answer states it: Content-Range's total, else a plain 200's Content-Length."""
    match = _CONTENT_RANGE.match(response.headers.get("Content-Range", "").strip())
    if match:
        return int(match[2])
    length = response.headers.get("Content-Length", "")
    encoded = response.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
    if response.status_code == 200 and length.isdigit() and not encoded:
        return int(length)
    return None

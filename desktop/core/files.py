"""Writing files so that a crash or a full disk never leaves half a file behind; hashing big files."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def write_text_atomic(path: Path, text: str, newline: str | None = "\n") -> None:
    """Write UTF-8 text via a temporary file + os.replace so a crash never leaves half a file; OSError on failure."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); keep the old file's mode, or use the usual 0644 for a new one.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def file_sha256(path: Path, should_stop: Callable[[], bool] = lambda: False) -> str:
    """Hex SHA-256 read in 1 MiB chunks (model files are gigabytes); OSError if unreadable, InterruptedError
    (an OSError) as soon as should_stop() says so."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            if should_stop():
                raise InterruptedError(f"hashing {Path(path).name} was cancelled")
            digest.update(chunk)
    return digest.hexdigest()


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…), @SUM(…), +cmd|…).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading apostrophe before a formula's first character (OWASP)."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def from_spreadsheet_safe(cell: str) -> str:
    """The cell spreadsheet_safe was given: Parley reads its own guard back off."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_STARTS) else cell


def set_aside(path: Path, companions: tuple[str, ...] = ()) -> Path:
    """Move a damaged file (and `path + suffix` for each companion that exists, e.g. SQLite's -wal and -shm) to
    <name>.damaged-<time> beside it, so nothing the person had is deleted; returns the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    copy = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while copy.exists():
        n += 1
        copy = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    for suffix in ("", *companions):
        part = Path(f"{path}{suffix}")
        if part.exists():
            os.replace(part, f"{copy}{suffix}")
    return copy

"""The hidden partial file of one download, with its sidecar and its lock: what a Download owns on disk.

The sidecar names the exact file version (size and SHA-256) the bytes belong to, so a download continues only from
bytes of that version; the checks here decide whether a finished partial file may enter the library. Deleting and
writing need the lock (PartialLock), so two windows or processes never write or delete the same partial file.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from desktop.core.i18n import translate
from desktop.core.models.gguf_file import GGUFError, read_model_info
from desktop.hub.download_files import hash_file
from desktop.hub.errors import HubError
from desktop.hub.listing import RepoFile
from desktop.hub.partial_lock import LockedError, PartialLock

__all__ = ["PartialFile"]


class PartialFile:
    """`path` (bytes so far) and its sidecar `path`.json, and the lock that makes one Download their only writer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sidecar: Path = path.with_suffix(".json")
        self.lock = PartialLock(path)

    def matching(self, file: RepoFile) -> int | None:
        """Bytes of a partial file that belongs to this exact file version, or None (reads only)."""
        try:
            meta = json.loads(self.sidecar.read_text(encoding="utf-8"))
            size = self.path.stat().st_size
        except (OSError, ValueError, RecursionError):
            return None
        same = isinstance(meta, dict) and meta.get("size") == file.size and meta.get("sha256") == file.sha256
        return size if same and size <= file.size else None

    def usable(self, file: RepoFile) -> int:
        """Bytes to continue from: those of a matching partial file (else 0, and it is cleared). Needs the lock."""
        done = self.matching(file)
        if done is None:
            self.truncate()
        return done or 0

    def size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def write_sidecar(self, meta: dict[str, object]) -> None:
        tmp = self.sidecar.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(meta, indent=1), encoding="utf-8")
        os.replace(tmp, self.sidecar)

    def truncate(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.truncate(self.path, 0)

    def discard(self) -> None:
        """Delete the partial file and sidecar; only while holding the lock (see discard_if_free)."""
        for path in (self.path, self.sidecar):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def discard_if_free(self) -> None:
        """Delete the partial file unless another Download owns it."""
        try:
            self.lock.acquire()
        except (LockedError, OSError):  # someone else is writing it, or there is no partial folder at all
            return
        try:
            self.discard()
        finally:
            self.lock.release()

    def verify(self, file: RepoFile, name: str, check: Callable[[], None]) -> None:
        """Size and SHA-256 of the partial file as it is on disk now, whatever arrived over the network; a file that
        fails is deleted. `check` runs while hashing (so pause works there too). Needs the lock."""
        on_disk = self.size()
        if on_disk != file.size:
            self.discard()
            raise HubError(translate("HubError", "{name} failed verification: the file on disk has {on_disk:,} bytes "
                                     "instead of {size:,} (something else changed the partial file). It was deleted; "
                                     "download it again.").format(name=name, on_disk=on_disk, size=file.size))
        expected = (file.sha256 or "").lower() or None
        if expected is not None and hash_file(self.path, on_disk, check).hexdigest() != expected:
            self.discard()
            raise HubError(translate("HubError", "{name} failed verification: the checksum does not match the one "
                                     "Hugging Face lists, so it arrived damaged or was changed on disk while "
                                     "downloading. The partial file was deleted; download it again.").format(
                name=name))

    def check_header(self, file: RepoFile, name: str, repo_id: str) -> None:
        """The finished file must be a GGUF model Parley can load; one that is not is deleted. Needs the lock."""
        first_shard = (file.shard_index or 1) == 1  # only shard 1 of a split model names its architecture
        try:
            read_model_info(self.path, require_architecture=first_shard)
        except GGUFError as e:
            self.discard()
            raise HubError(translate("HubError", "{name} from {repo} downloaded completely but is not a usable GGUF "
                                     "model: {problem}. The file was deleted. {hint}").format(
                name=name, repo=repo_id, problem=e.problem, hint=e.hint)) from None

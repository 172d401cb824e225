"""One writer per partial download, across windows and processes, and free again after a crash.

The lock is an operating-system lock on a file beside the partial file (flock on POSIX, msvcrt.locking on
Windows): the system drops it when the holder exits or crashes, so a stale lock can never block a download.
The lock file is removed while still locked, and a lock taken on a file that was removed meanwhile is retried, so
two writers can never each hold "the" lock on different files.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

__all__ = ["LockedError", "PartialLock"]


class LockedError(Exception):
    """Another Download (in this process or another one) holds the lock."""


class PartialLock:
    """An exclusive, non-blocking lock for `partial` (a path; the lock file is partial with suffix .lock)."""

    def __init__(self, partial: Path) -> None:
        self.path = Path(partial).with_suffix(".lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise LockedError at once (never waits)."""
        if self._fd is not None:
            return
        for _ in range(20):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                _lock(fd)
            except OSError:
                os.close(fd)
                raise LockedError(str(self.path)) from None
            try:  # the holder before us may have removed the file after we opened it: lock the current one
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                self._fd = fd
                return
            _unlock(fd)
            os.close(fd)
        raise LockedError(str(self.path))

    def release(self) -> None:
        """Remove the lock file (while still holding it, where the system allows) and drop the lock."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if sys.platform != "win32":
            with contextlib.suppress(OSError):
                self.path.unlink()
        _unlock(fd)
        os.close(fd)
        if sys.platform == "win32":  # an open file cannot be removed there; another writer may hold it already
            with contextlib.suppress(OSError):
                self.path.unlink()

    def __enter__(self) -> PartialLock:
        self.acquire()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

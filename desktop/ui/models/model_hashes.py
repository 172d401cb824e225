"""Model files' SHA-256, computed in the background: run records and experiments name the exact model."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from desktop.core.files import file_sha256
from desktop.core.instruments.experiment import model_sha256


class _HashSignals(QObject):
    done = Signal(str, str)  # model path, sha256 ("" when the file cannot be read)


class ModelHashes(QObject):
    """SHA-256 of model files off the GUI thread (a multi-gigabyte read would freeze it), each asked for once;
    with a cache file, also remembered on disk by (path, size, mtime), so a big file is read once ever."""

    hashed = Signal(str, str)

    def __init__(self, cache_file: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache_file = Path(cache_file) if cache_file is not None else None
        self._done: dict[str, str] = {}
        self._asked: set[str] = set()
        self._signals = _HashSignals()
        self._signals.done.connect(self._store)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one at a time: the cache file has one writer
        self._stop = threading.Event()

    def request(self, path: str) -> None:
        if path in self._asked:
            return
        self._asked.add(path)
        self._pool.start(lambda: self._hash(path))

    def _hash(self, path: str) -> None:
        try:
            if self.cache_file is not None:
                sha = model_sha256(Path(path), self.cache_file, self._stop.is_set)
            else:
                sha = file_sha256(Path(path), self._stop.is_set)
        except OSError:
            sha = ""
        if self._stop.is_set():
            return
        self._done[path] = sha  # a plain dict store, safe under the GIL: get() answers right after wait()
        self._signals.done.emit(path, sha)

    def _store(self, path: str, sha: str) -> None:
        self.hashed.emit(path, sha)

    def get(self, path: str) -> str | None:
        """The hash once known ("" when unreadable), None while pending."""
        return self._done.get(path)

    def wait(self) -> None:
        self._pool.waitForDone()

    def shutdown(self) -> None:
        """On quitting: a multi-gigabyte hash stops within a chunk instead of holding the app open."""
        self._stop.set()
        self._pool.clear()
        self._pool.waitForDone()

"""Saving Compare experiments: the model files' SHA-256 are computed in the background, then the file is written."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from desktop.core.experiment import Experiment, ExperimentError, model_sha256, save_experiment


class _HashSignals(QObject):
    done = Signal(str, str)  # model path, sha256 ("" when the file cannot be read)


class ModelHashes(QObject):
    """SHA-256 of model files off the GUI thread, cached on disk by (path, size, mtime): a big file is read once."""

    hashed = Signal(str, str)

    def __init__(self, cache_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache_file = Path(cache_file)
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
            sha = model_sha256(Path(path), self.cache_file, self._stop.is_set)
        except OSError:
            sha = ""
        if self._stop.is_set():
            return
        self._signals.done.emit(path, sha)

    def _store(self, path: str, sha: str) -> None:
        self._done[path] = sha
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


class ExperimentSaver(QObject):
    """Writes an experiment once every model it names has a known hash, so a save never freezes the window."""

    saved = Signal(object, str)  # Path of the written file, the experiment's name
    failed = Signal(str)
    waiting = Signal()  # hashes still being computed: the file is written when they are

    def __init__(self, folder: Path, hash_cache: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.hashes = ModelHashes(hash_cache, self)
        self.hashes.hashed.connect(lambda _path, _sha: self._try_save())
        self._pending: Experiment | None = None

    def prepare(self, experiment: Experiment) -> None:
        """Start hashing right after a run, so a later Save is instant."""
        for path in experiment.model_paths():
            if path not in experiment.model_hashes:
                self.hashes.request(path)

    def save(self, experiment: Experiment) -> None:
        self._pending = experiment
        self.prepare(experiment)
        self._try_save()

    def _try_save(self) -> None:
        experiment = self._pending
        if experiment is None:
            return
        if any(p not in experiment.model_hashes and self.hashes.get(p) is None for p in experiment.model_paths()):
            self.waiting.emit()
            return
        for path in experiment.model_paths():
            sha = experiment.model_hashes.get(path) or self.hashes.get(path)
            if sha:  # "" for a model file that could not be read: left out rather than recorded wrong
                experiment.model_hashes[path] = sha
        self._pending = None
        try:
            written = save_experiment(experiment, self.folder)
        except ExperimentError as exc:
            self.failed.emit(str(exc))
            return
        self.saved.emit(written, experiment.name)

    def shutdown(self) -> None:
        self.hashes.shutdown()

"""Saving Compare experiments: the model files' SHA-256 are computed in the background, then the file is written."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.core.instruments.experiment import Experiment, ExperimentError, save_experiment
from desktop.ui.models.model_hashes import ModelHashes


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


def short_time(created: str) -> str:
    """A saved experiment's time stamp in local time, to the minute; "" when it cannot be read."""
    try:
        return datetime.fromisoformat(created).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return ""

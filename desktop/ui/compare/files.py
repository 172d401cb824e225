"""Compare experiments on disk, as the page offers them: the Open list of saved experiments, the Save dialog and the
background saver, whose progress and failures become the page's messages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QInputDialog, QWidget

from desktop.core.i18n import translate
from desktop.core.instruments.experiment import Experiment, ExperimentError, list_experiments, load_experiment
from desktop.ui.compare.saving import ExperimentSaver, short_time


def showing_text(experiment: Experiment) -> str:
    """The message shown with an experiment opened from its file: its outputs are the saved ones."""
    when = short_time(experiment.created)
    shown = (translate("ComparePanel",
                       "Showing “{name}” from {time}. These outputs were saved then; Run all to run the "
                       "prompt again.") if when else
             translate("ComparePanel",
                       "Showing “{name}”. These outputs were saved then; Run all to run the prompt again."))
    return shown.format(name=experiment.name, time=when)


class ExperimentFiles(QObject):
    """Owns the Open list (compareOpenCombo) and the saver; the page decides what is saved and shows what is
    opened."""

    message = Signal(str, bool)  # text ("" clears), error
    saved = Signal(object)  # Path of the written file, after the Open list has been refreshed
    chosen = Signal(object)  # Path of the saved experiment picked in the Open list

    def __init__(self, folder: Path, hash_cache: Path, parent: QWidget) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self._window = parent
        self.saver = ExperimentSaver(self.folder, hash_cache, self)
        self.open_combo = QComboBox()
        self.open_combo.setObjectName("compareOpenCombo")
        self.open_combo.setToolTip(translate("ComparePanel", "Show a saved experiment again, without running it"))
        self.open_combo.setMinimumContentsLength(18)
        self.open_combo.activated.connect(self._open_chosen)
        self.saver.saved.connect(self._saved)
        self.saver.failed.connect(lambda text: self.message.emit(text, True))
        self.saver.waiting.connect(lambda: self.message.emit(
            translate("ComparePanel", "Computing the model files' checksums before saving…"), False))

    def ask_name(self, current: str) -> str | None:
        """The Save dialog: the name to save under, or None when cancelled."""
        name, ok = QInputDialog.getText(self._window, translate("ComparePanel", "Save experiment"),
                                        translate("ComparePanel", "Name:"),
                                        text=current or translate("ComparePanel", "Experiment"))
        return name if ok else None

    def save(self, experiment: Experiment, name: str) -> None:
        """Saves once the model files' SHA-256 are known (hashed in the background); `saved` says where."""
        experiment.name = name.strip() or translate("ComparePanel", "Experiment")
        self.saver.save(experiment)

    def _saved(self, path: Path, name: str) -> None:
        self.message.emit(translate("ComparePanel", "Saved “{name}” as {file}").format(name=name, file=path.name),
                          False)
        self.refresh()
        self.saved.emit(path)

    def refresh(self) -> None:
        combo = self.open_combo
        combo.clear()
        combo.addItem(translate("ComparePanel", "Open a saved experiment…"), "")
        for saved in list_experiments(self.folder):
            when = short_time(saved.created)
            text = f"{saved.name} · {when}" if when else saved.name
            combo.addItem(translate("ComparePanel", "{name} (damaged)").format(name=text) if saved.error else text,
                          str(saved.path))

    def _open_chosen(self, index: int) -> None:
        path = self.open_combo.itemData(index)
        self.open_combo.setCurrentIndex(0)
        if path:
            self.chosen.emit(Path(path))

    def load(self, path: Path) -> Experiment | None:
        """The experiment in the file, or None after saying why it cannot be read."""
        try:
            return load_experiment(path)
        except ExperimentError as exc:
            self.message.emit(str(exc), True)
            return None

    def shutdown(self) -> None:
        """Stops background hashing."""
        self.saver.shutdown()

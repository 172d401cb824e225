"""The Few-shot page's data files: examples and test sets read through a column mapping, the examples and the
shown run's results written back out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.core.fewshot.dataset import ColumnMapping, DataError, Dataset, to_examples, to_test_items, write_table
from desktop.core.i18n import translate
from desktop.core.os_reason import os_reason
from desktop.ui.fewshot.batch import BatchPanel
from desktop.ui.fewshot.editor import TemplateEditor
from desktop.ui.fewshot.labels import data_filter
from desktop.ui.fewshot.mapping import read_mapped
from desktop.ui.fewshot.runner import EvalRunner


class DataFiles(QObject):
    """Answers the Import and Export buttons of the examples table and the Results tab; holds the test set."""

    message = Signal(str, bool)  # text ("" clears), error
    testSetLoaded = Signal()  # a test set was read: whether a run can start may have changed

    def __init__(self, editor: TemplateEditor, batch: BatchPanel, runner: EvalRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self.editor = editor
        self.batch = batch
        self.runner = runner
        self.test_set: tuple[Dataset, ColumnMapping] | None = None  # what the batch runs score
        self._window = parent
        editor.import_button.clicked.connect(
            lambda: self._ask_data(translate("FewShotPage", "Import examples"), self.import_examples))
        editor.export_button.clicked.connect(self._export_examples)
        batch.import_button.clicked.connect(
            lambda: self._ask_data(translate("FewShotPage", "Import a test set"), self.import_test_set))
        batch.export_button.clicked.connect(self._export_results)

    def _ask_data(self, title: str, then: Callable[[Path], object]) -> None:
        path, _ = QFileDialog.getOpenFileName(self._window, title, "", data_filter())
        if path:
            then(Path(path))

    def _read(self, path: Path, mapping: ColumnMapping | None) -> tuple[Dataset, ColumnMapping] | None:
        try:
            return read_mapped(path, mapping, self.editor.template().variables(), self._window)
        except DataError as exc:
            self.message.emit(str(exc), True)
            return None

    def import_examples(self, path: Path, mapping: ColumnMapping | None = None) -> bool:
        read = self._read(path, mapping)
        if read is None:
            return False
        try:
            examples = to_examples(*read)
        except DataError as exc:
            self.message.emit(str(exc), True)
            return False
        self.editor.examples.append_examples(examples)
        count = len(examples)
        added = translate("FewShotPage", "Added %n examples from {file}", None, count)
        self.message.emit(added.format(file=Path(path).name), False)
        return True

    def _export_examples(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self._window, translate("FewShotPage", "Export examples"),
                                              "examples.csv", data_filter())
        if not path:
            return
        try:
            write_table(Path(path), *self.editor.examples.table())
        except (DataError, OSError) as exc:
            self.message.emit(str(exc), True)

    def import_test_set(self, path: Path, mapping: ColumnMapping | None = None) -> bool:
        read = self._read(path, mapping)
        if read is None:
            return False
        try:
            items = to_test_items(*read, self.editor.template())
        except DataError as exc:
            self.message.emit(str(exc), True)
            return False
        self.test_set = read
        empty = read[0].skipped_empty
        skipped = translate("FewShotPage", " (%n empty rows skipped)", None, empty) if empty else ""
        count = len(items)
        self.batch.test_set_label.setText(translate("FewShotPage", "%n items from {file}", None, count).format(
            file=Path(path).name) + skipped)
        self.message.emit("", True)
        self.testSetLoaded.emit()
        return True

    def export_results(self, path: Path) -> bool:
        """Writes the run on the Results tab: JSON for a .json name, CSV otherwise."""
        run = self.batch.shown
        if run is None:
            self.message.emit(translate("FewShotPage", "Nothing to export yet: run the test set first."), True)
            return False
        self.runner.settle()
        try:
            if Path(path).suffix.lower() == ".json":
                run.write_json(Path(path))
            else:
                run.write_csv(Path(path))
        except OSError as exc:
            self.message.emit(translate("FewShotPage", "Could not write {path}: {error}").format(
                path=path, error=os_reason(exc)), True)
            return False
        count = len(run.results)
        self.message.emit(translate("FewShotPage", "Exported %n results to {file}", None, count).format(
            file=Path(path).name), False)
        return True

    def _export_results(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self._window, translate("FewShotPage", "Export results"),
                                              "results.csv", "CSV (*.csv);;JSON (*.json)")
        if path:
            self.export_results(Path(path))
